using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace TuZiImages.Bench;

/// <summary>
/// Several pwsh processes on one key, as runbooks, scheduled tasks and CI jobs run: each imports the built module
/// and pipes its prompts into New-TuZiImage at its own -ThrottleLimit, all at once against one limiter of the
/// server. Each process says when its import was done (READY) and what it made (DONE), so the cost of starting the
/// processes is measured, not assumed.
/// </summary>
internal static class SharedKeyRun
{
    /// <param name="Seconds">From the first launch to the last process's end.</param>
    /// <param name="FirstReady">When the first process was ready to send, after the launch.</param>
    /// <param name="LastReady">When the last was (the cost of starting them all).</param>
    public sealed record Outcome(double Seconds, double FirstReady, double LastReady, int Images, int Failures, IReadOnlyList<string> Errors);

    public static async Task<Outcome> RunAsync(Uri api, string key, string folder, int processes, int perProcess, int throttle)
    {
        long launch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, processes).Select(p => RunOneAsync(api, key, folder, p, perProcess, throttle)).ToList();
        var outputs = await Task.WhenAll(runs);
        double seconds = clock.Elapsed.TotalSeconds;
        var ready = new List<double>();
        int images = 0, failures = 0;
        var errors = new List<string>();
        foreach (var (stdout, stderr) in outputs)
        {
            var readyLine = Regex.Match(stdout, @"^READY (\d+)", RegexOptions.Multiline);
            var doneLine = Regex.Match(stdout, @"^DONE (\d+) (\d+)", RegexOptions.Multiline);
            if (!readyLine.Success || !doneLine.Success)
            {
                throw new InvalidOperationException($"A pwsh process on the shared key did not finish its batch:{Environment.NewLine}{stdout}{stderr}");
            }
            ready.Add((long.Parse(readyLine.Groups[1].Value, CultureInfo.InvariantCulture) - launch) / 1000.0);
            images += int.Parse(doneLine.Groups[1].Value, CultureInfo.InvariantCulture);
            failures += int.Parse(doneLine.Groups[2].Value, CultureInfo.InvariantCulture);
            errors.AddRange(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        return new Outcome(seconds, ready.Min(), ready.Max(), images, failures, errors);
    }

    private static async Task<(string Stdout, string Stderr)> RunOneAsync(Uri api, string key, string folder, int index, int perProcess, int throttle)
    {
        // With TUZI_BENCH_TRACE=1, every verbose line goes to standard error with its time, to see what the gates did.
        string trace = Environment.GetEnvironmentVariable("TUZI_BENCH_TRACE") == "1"
            ? $" -Verbose 4>&1 | Where-Object {{ if ($_ -is [System.Management.Automation.VerboseRecord]) {{ [Console]::Error.WriteLine(([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() % 100000).ToString() + ' p{index} ' + $_.Message); $false }} else {{ $true }} }}"
            : "";
        string script = string.Join("; ",
            $"Import-Module '{Pwsh.ModuleDirectory}' -ErrorAction Stop",
            "[Console]::Out.WriteLine('READY ' + [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds())",
            $"$results = 0..{perProcess - 1} | ForEach-Object {{ \"shared key p{index} prompt $_\" }} | New-TuZiImage -ThrottleLimit {throttle} -ResponseFormat b64_json -OutDirectory '{folder}' -ErrorVariable failures -ErrorAction SilentlyContinue{trace}",
            "$failures | ForEach-Object { [Console]::Error.WriteLine($_.Exception.Message) }",
            "[Console]::Out.WriteLine('DONE ' + @($results).Count + ' ' + @($failures).Count)");
        var start = Pwsh.Command(script);
        start.Environment["TUZI_API_KEY"] = key;
        start.Environment["TUZI_BASE_URL"] = api.ToString();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await stdout, await stderr);
    }
}
