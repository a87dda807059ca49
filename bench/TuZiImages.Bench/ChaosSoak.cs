using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core.Models;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Saving;

namespace TuZiImages.Bench;

/// <summary>
/// 500 generations through the cmdlets' own scheduler against a server that misbehaves at random in every way it
/// knows, with -Force off and some file names already taken. It counts outcomes, and checks that none was lost,
/// that every saved file holds exactly the bytes the server sent, that no temporary file is left, that nothing
/// existing was overwritten, and that the key appears nowhere. It assumes no particular number of retries.
/// </summary>
internal static class ChaosSoak
{
    private const int Requests = 500;
    private const int ThrottleLimit = 8;

    // Long enough that a theme's slug is the same for all its prompts: their files compete for one name.
    private static readonly string[] Themes =
    {
        "a red fox asleep in the snow under a pale winter moon",
        "a lighthouse on a cliff in a storm at night painted in oils",
        "a bowl of ramen on a wooden table seen from above",
    };

    public sealed record Outcome(string Name, string Value, bool Met, string Check);

    public static async Task<IReadOnlyList<Outcome>> RunAsync(ServerProcess server, string scratch, int seed = 20261201)
    {
        var random = new Random(seed);
        string key = "sk-soak-" + Guid.NewGuid().ToString("N");
        string folder = Path.Combine(scratch, "soak");
        Directory.CreateDirectory(folder);

        await server.ResetAsync();
        var prompts = new List<string>();
        var faultCounts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var faults = new List<string>();
        for (int i = 0; i < Requests; i++)
        {
            string prompt = $"{Themes[i % Themes.Length]} #{i}#";
            prompts.Add(prompt);
            var (name, json) = Fault(random, $"#{i}#");
            faultCounts[name] = faultCounts.TryGetValue(name, out int n) ? n + 1 : 1;
            if (json is not null)
            {
                faults.Add(json);
            }
        }
        await server.FaultAsync("[" + string.Join(",", faults) + "]");

        var options = new TuZiClientOptions
        {
            ApiKey = key,
            BaseAddress = server.ApiBaseAddress,
            Timeout = TimeSpan.FromSeconds(20),
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryAfter = TimeSpan.FromMilliseconds(300),
        };
        // Each request's settings first: a generated name carries a hash of the request, so the names to take
        // beforehand are those that the first requests of every theme will ask for.
        var allSettings = new List<ImageSettings>();
        for (int i = 0; i < Requests; i++)
        {
            allSettings.Add(new ImageSettings
            {
                OutDirectory = folder,
                Size = $"{16 + random.Next(80)}x{16 + random.Next(80)}",
                Count = random.Next(6) == 0 ? 2 : 1,
                [BodyFields.ResponseFormat] = random.Next(2) == 0 ? "b64_json" : "url",
            });
        }
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < 2 * Themes.Length; i++)
        {
            // The size as the command sends it: the model's family reads -Size.
            string? size = ModelFamilies.Find(options.Model).SizeFor(options.Model, null, allSettings[i].Size, null);
            var planned = new GenerationRequest { Prompt = prompts[i], Count = allSettings[i].Count, Size = size };
            string stem = FileNaming.StemFor(prompts[i], planned.IdentityHash(options.Model));
            foreach (string name in new[] { stem + ".png", stem + "_2.png", stem + "-1.png", stem + "-2_3.png" })
            {
                string path = Path.Combine(folder, name);
                File.WriteAllBytes(path, Encoding.UTF8.GetBytes("taken: " + name));
                taken[path] = Sha256(path);
            }
        }

        var host = new RecordingHost();
        var clock = Stopwatch.StartNew();
        using (var command = new GenerateCommand(host, options, ThrottleLimit, folder, promptFromCommandLine: false))
        {
            for (int i = 0; i < Requests; i++)
            {
                command.Process(prompts[i], Array.Empty<string>(), allSettings[i]);
            }
            command.End();
        }
        double seconds = clock.Elapsed.TotalSeconds;

        string requestsJson = await server.RequestsJsonAsync();
        var sent = SentImages(requestsJson);
        int resentAfterBilling = ResentAfterMaybeBilled(requestsJson);
        var final = host.Progress.LastOrDefault(p => p.IsFinished);
        int withResults = host.Results.Select(r => r.Prompt).Distinct().Count();
        int failedRequests = final?.Failed ?? -1;

        int verified = 0, wrong = 0, recorded = 0;
        foreach (var result in host.Results.Where(r => r.FullName is not null))
        {
            // Each image carries its record (the default, -Metadata Embed); without it, it is the server's bytes exactly.
            if (ImageInfoReader.Read(result.FullName!) is { RecordSource: RecordSources.Embedded } info && info.Prompt == result.Prompt)
            {
                recorded++;
            }
            bool matches = sent.TryGetValue(result.Prompt, out var hashes) && hashes.Contains(Convert.ToHexStringLower(SHA256.HashData(WithoutRecord(File.ReadAllBytes(result.FullName!)))));
            if (matches)
            {
                verified++;
            }
            else
            {
                wrong++;
                Console.Error.WriteLine($"soak: {result.FullName} is not an image the server sent for '{result.Prompt}'");
            }
        }
        int urlOnly = host.Results.Count(r => r.FullName is null);
        var files = Directory.GetFiles(folder);
        int temporary = files.Count(f => Path.GetFileName(f).StartsWith(".tuzi-", StringComparison.Ordinal) || f.EndsWith(".partial", StringComparison.Ordinal));
        int overwritten = taken.Count(t => !File.Exists(t.Key) || Sha256(t.Key) != t.Value)
            + host.Results.Count(r => r.FullName is not null && taken.ContainsKey(r.FullName));
        int savedFiles = files.Length - taken.Count - temporary;
        int leaks = CountKey(key, host, files);
        int unclear = host.Failures.Count(f => string.IsNullOrWhiteSpace(f.Message));
        var failureKinds = host.Failures.GroupBy(f => f.Kind).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");

        Console.WriteLine($"Chaos soak: {Requests} requests, ThrottleLimit {ThrottleLimit}, {seconds:0.0} s, seed {seed}");
        Console.WriteLine("  faults asked for: " + string.Join(", ", faultCounts.Select(f => $"{f.Key} {f.Value}")));
        Console.WriteLine($"  server saw {sent.Values.Sum(v => v.Count)} image answers over {sent.Count} prompts; failures written: {string.Join(", ", failureKinds)}");

        return new[]
        {
            new Outcome("requests ended with results", withResults.ToString(CultureInfo.InvariantCulture), true, "the rest must be failed requests"),
            new Outcome("requests ended as failures", failedRequests.ToString(CultureInfo.InvariantCulture), withResults + failedRequests == Requests && final?.Total == Requests,
                $"results + failures = {withResults + failedRequests} of {Requests} (scheduler: {final?.Completed} completed, {final?.Failed} failed of {final?.Total})"),
            new Outcome("failures without a message", unclear.ToString(CultureInfo.InvariantCulture), unclear == 0, "0"),
            new Outcome("saved files that are the server's bytes", $"{verified} of {verified + wrong}", wrong == 0 && verified == savedFiles,
                $"SHA-256 against the server's record, the record's two text chunks taken out; {savedFiles} new files in the folder, {urlOnly} results left as URLs"),
            new Outcome("saved files that carry their record", $"{recorded} of {verified + wrong}", recorded == verified + wrong, "the prompt read back from each file"),
            new Outcome("temporary files left", temporary.ToString(CultureInfo.InvariantCulture), temporary == 0, "0"),
            new Outcome("existing files overwritten", overwritten.ToString(CultureInfo.InvariantCulture), overwritten == 0, $"0 of {taken.Count} taken names"),
            new Outcome("places the key appeared", leaks.ToString(CultureInfo.InvariantCulture), leaks == 0, "0, in output, errors, verbose text and files"),
            new Outcome("re-sends after a maybe-billed failure", resentAfterBilling.ToString(CultureInfo.InvariantCulture), resentAfterBilling == 0,
                "0: no prompt reached the server again after a reset, a cut answer or a 504/524 to a request it had read whole"),
        };
    }

    /// <summary>One request's misbehaviour, matched by the prompt's tag; null JSON for a clean answer.</summary>
    private static (string Name, string? Json) Fault(Random random, string tag)
    {
        string match = $"\"match\":\"{tag}\"";
        return random.Next(20) switch
        {
            0 => ("429+Retry-After", $"{{{match},\"status\":429,\"retryAfter\":\"1\",\"times\":{1 + random.Next(3)}}}"),
            1 => ("429", $"{{{match},\"status\":429,\"times\":{1 + random.Next(3)}}}"),
            2 => ("5xx", $"{{{match},\"status\":{new[] { 500, 502, 503, 504 }[random.Next(4)]},\"times\":{1 + random.Next(3)}}}"),
            3 => ("html gateway page", $"{{{match},\"html\":true,\"status\":{(random.Next(2) == 0 ? 502 : 504)},\"times\":{1 + random.Next(2)}}}"),
            4 => ("reset", $"{{{match},\"reset\":true,\"times\":{1 + random.Next(3)}}}"),
            5 => ("truncated", $"{{{match},\"truncate\":true}}"),
            6 => ("slow body", $"{{{match},\"slowBodyMs\":{20 + random.Next(80)}}}"),
            7 => ("delay", $"{{{match},\"delayMs\":{50 + random.Next(400)}}}"),
            8 => ("empty data", $"{{{match},\"emptyData\":true}}"),
            9 => ("NO_IMAGE", $"{{{match},\"revisedPrompt\":\"NO_IMAGE: declined\"}}"),
            10 => ("bad base64", $"{{{match},\"badBase64\":true,\"forceB64\":true}}"),
            11 or 17 => ("wrapped base64", $"{{{match},\"wrapBase64\":{1 + random.Next(random.Next(2) == 0 ? 8 : 400)},\"wrapBase64With\":\"{new[] { " ", "  ", " \\\\n", "\\\\r\\\\n" }[random.Next(4)]}\",\"urlAs\":\"{(random.Next(2) == 0 ? "base64" : "data")}\"}}"),
            12 => ("created in ms", $"{{{match},\"createdInMilliseconds\":true}}"),
            13 => ("url as data/base64", $"{{{match},\"urlAs\":\"{(random.Next(2) == 0 ? "data" : "base64")}\"}}"),
            14 => ("key echoed in error", $"{{{match},\"status\":400,\"echoApiKey\":true}}"),
            15 => ("empty url", $"{{{match},\"emptyUrl\":true}}"),
            16 => ("escaped slashes, chunked", $"{{{match},\"escapeSlashes\":true,\"chunked\":true}}"),
            _ => ("none", null),
        };
    }

    /// <summary>
    /// Requests the server received for a prompt after it had read that prompt's request whole and ended it in a way
    /// that may have made and billed the image (a reset, a cut answer, a 504 or 524, the client gone first): each one
    /// a second payment on the real service. Judged from the server's record alone, not from the client's words.
    /// </summary>
    private static int ResentAfterMaybeBilled(string requestsJson)
    {
        using var document = JsonDocument.Parse(requestsJson);
        var billed = new HashSet<string>(StringComparer.Ordinal);
        int resent = 0;
        foreach (var request in document.RootElement.EnumerateArray().OrderBy(r => r.GetProperty("receivedAt").GetDateTimeOffset()))
        {
            string? prompt = Prompt(request);
            if (prompt is null || request.GetProperty("rateLimited").GetBoolean())
            {
                continue;
            }
            if (billed.Contains(prompt))
            {
                resent++;
            }
            if (request.GetProperty("outcome").GetString() is "reset" or "truncated" or "504" or "524" or "aborted")
            {
                billed.Add(prompt);
            }
        }
        return resent;
    }

    private static string? Prompt(JsonElement request) =>
        request.GetProperty("fields").EnumerateArray()
            .Where(f => f.GetProperty("name").GetString() == "prompt").Select(f => f.GetProperty("value").GetString()).FirstOrDefault();

    /// <summary>What the server says it sent: the SHA-256 of every image it answered, by prompt.</summary>
    private static Dictionary<string, HashSet<string>> SentImages(string requestsJson)
    {
        using var document = JsonDocument.Parse(requestsJson);
        var sent = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var request in document.RootElement.EnumerateArray())
        {
            string? prompt = Prompt(request);
            if (prompt is null)
            {
                continue;
            }
            if (!sent.TryGetValue(prompt, out var hashes))
            {
                sent[prompt] = hashes = new HashSet<string>(StringComparer.Ordinal);
            }
            foreach (var hash in request.GetProperty("imageSha256").EnumerateArray())
            {
                hashes.Add(hash.GetString()!);
            }
        }
        return sent;
    }

    private static int CountKey(string key, RecordingHost host, string[] files)
    {
        var texts = new List<string?>();
        texts.AddRange(host.Verbose);
        foreach (var failure in host.Failures)
        {
            texts.AddRange(new[] { failure.ToString(), failure.Message, failure.ServerMessage, failure.RecommendedAction, failure.Target });
        }
        foreach (var result in host.Results)
        {
            texts.AddRange(new[] { result.ToString(), result.Url, result.FullName, result.Prompt, result.RevisedPrompt, result.RequestId });
        }
        int count = texts.Count(t => t is not null && t.Contains(key, StringComparison.Ordinal));
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        count += files.Count(f => File.ReadAllBytes(f).AsSpan().IndexOf(keyBytes) >= 0);
        return count;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>A saved PNG (the soak's images all are) with the record's iTXt chunks, "parameters" and the XMP, taken out again.</summary>
    private static byte[] WithoutRecord(byte[] png)
    {
        var kept = new List<byte>(png.Length);
        kept.AddRange(png.AsSpan(0, Math.Min(8, png.Length)).ToArray());
        for (int at = 8; at + 12 <= png.Length;)
        {
            int length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            int end = Math.Min(png.Length, at + 12 + length);
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            bool record = type == "iTXt" && (StartsWith(png, at + 8, "parameters\0") || StartsWith(png, at + 8, "XML:com.adobe.xmp\0"));
            if (!record)
            {
                kept.AddRange(png.AsSpan(at, end - at).ToArray());
            }
            at = end;
        }
        return kept.ToArray();

        static bool StartsWith(byte[] bytes, int at, string text) =>
            at + text.Length <= bytes.Length && Encoding.ASCII.GetString(bytes, at, text.Length) == text;
    }

    /// <summary>Stands in for the cmdlet: keeps everything the scheduler writes to it.</summary>
    private sealed class RecordingHost : IInvocationHost
    {
        public List<TuZiImageResult> Results { get; } = new();
        public List<TuZiImagesException> Failures { get; } = new();
        public List<string> Verbose { get; } = new();
        public List<BatchProgress> Progress { get; } = new();

        public void WriteResult(TuZiImageResult result) => Results.Add(result);
        public void WriteFailure(TuZiImagesException failure) => Failures.Add(failure);
        public void WriteVerbose(string message) => Verbose.Add(message);
        public void WriteWarning(string message) => Verbose.Add("WARNING: " + message);
        public void WriteProgress(BatchProgress progress) => Progress.Add(progress);
        public bool ShouldProcess(string target, string action) => true;
    }
}
