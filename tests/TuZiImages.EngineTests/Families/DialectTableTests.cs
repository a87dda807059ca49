using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.TestServer;
using TuZiImages.TestServer.Endpoints;

namespace TuZiImages.EngineTests.Families;

/// <summary>
/// The whole family table through real pipelines, row by row (read from the imported module, so a new row is
/// covered without a new test): every field on the wire or refused before sending, every operation where its route
/// goes with its images as the route carries them, -WhatIf the same text as what the server received, and a newer
/// version of every family. What each family takes is the spec's (<see cref="ServiceDialect"/>), and the test server
/// answers each family as its models do, so a wrong row fails here.
/// </summary>
[Trait("Category", "Engine")]
public sealed class DialectTableTests
{
    private const string InvalidInput = "TuZiImages.InvalidInput";

    [Fact]
    public async Task Every_family_sends_each_field_it_takes_and_refuses_the_rest_before_sending_naming_who_takes_it()
    {
        await using var engine = await StartAsync();
        engine.WritePng("in.png");
        var failures = new List<string>();

        foreach (var row in FamilyRow.Read(engine))
        {
            foreach (var parameter in ServiceDialect.Parameters)
            {
                var (run, sent, what) = Send(engine, row.Model, parameter, $"{row.Name}/{parameter.Parameter}");
                if (row.Takes.Contains(parameter.Parameter))
                {
                    Expect(failures, what, run.Errors.Count == 0 && sent.Count == 1, $"sent and answered, but: {Said(run)}; {sent.Count} request(s)");
                    if (sent.Count == 1)
                    {
                        Expect(failures, what, sent[0].Outcome == "200", $"the server answered {sent[0].Outcome}");
                        foreach (var (name, value) in parameter.Wire)
                        {
                            Expect(failures, what, sent[0].Field(name) == value, $"{name} {value} on the wire, but it is '{sent[0].Field(name)}'");
                        }
                    }
                    continue;
                }
                Expect(failures, what, sent.Count == 0, "nothing sent");
                var error = run.Errors.SingleOrDefault();
                Expect(failures, what, error?.FullyQualifiedErrorId.StartsWith(InvalidInput, StringComparison.Ordinal) == true, $"one InvalidInput error, but: {Said(run)}");
                string message = (error?.ErrorDetails?.Message ?? "") + " " + error?.ErrorDetails?.RecommendedAction;
                if (row.Removed)
                {
                    Expect(failures, what, message.Contains("doubao-seedream-4"), $"the removed model's error names Seedream 4.x: {message}");
                    continue;
                }
                if (parameter.EditOnly && row.Routes.Edit == ServiceDialect.Refused)
                {
                    continue; // the edit itself cannot go: its error is about the images, whatever else was asked
                }
                Expect(failures, what, message.Contains("-" + parameter.Parameter) && message.Contains(row.Model), $"the error names -{parameter.Parameter} and {row.Model}: {message}");
                var takers = ServiceDialect.Takes.Where(t => t.Key != row.Name && t.Value.Contains(parameter.Parameter)).Select(t => t.Key).ToList();
                Expect(failures, what, takers.Any(message.Contains), $"the error names a family that takes it ({string.Join(", ", takers)}): {message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_newer_version_of_each_family_gets_its_translations_and_what_the_row_does_not_list_goes_as_written()
    {
        await using var engine = await StartAsync();
        engine.WritePng("in.png");
        var failures = new List<string>();

        foreach (var row in FamilyRow.Read(engine).Where(r => !r.Removed))
        {
            string newer = ServiceDialect.NewerVersion.TryGetValue(row.Name, out string? known) ? known : row.Model + "-next";
            string found = (string)engine.Run("param($m) [TuZiImages.Core.Models.ModelFamilies]::Find($m).Name", ("m", newer)).Output.Single().BaseObject;
            Expect(failures, newer, found == row.Name, $"resembles {row.Name}, but the table finds {found}");
            bool tasks = row.Route == "Tasks";

            // What the task API cannot carry is refused for any version; everything else goes, under the family's name for it.
            var note = engine.Run($"New-TuZiImage 'note {newer}' -Model {newer} -Verbose");
            Expect(failures, newer, note.Verbose.Any(v => v.Contains(newer) && v.Contains("resembles " + row.Name)), $"a verbose line names {row.Name}: {string.Join(" | ", note.Verbose)}");
            foreach (var parameter in ServiceDialect.Parameters)
            {
                var (run, sent, what) = Send(engine, newer, parameter, $"{newer}/{parameter.Parameter}");
                bool refused = run.Errors.Any(e => e.FullyQualifiedErrorId.StartsWith(InvalidInput, StringComparison.Ordinal));
                bool cannotGo = tasks || (parameter.EditOnly && row.Routes.Edit == ServiceDialect.Refused);
                Expect(failures, what, refused == cannotGo && sent.Count == (cannotGo ? 0 : 1), cannotGo ? "refused: the route cannot carry it" : $"sent as written, but: {Said(run)}");
                if (!cannotGo && sent.Count == 1)
                {
                    Expect(failures, what, parameter.Wire.All(w => sent[0].Field(w.Name) == w.Value), $"{parameter.Wire[0].Name} on the wire");
                }
            }

            // A quality word and a ratio the row does not list go as written, through the family's translation.
            var (words, wordSent, wordWhat) = Send(engine, newer, new("Quality", "xhigh", false, ("quality", "xhigh")), $"{newer}/xhigh");
            Expect(failures, wordWhat, tasks ? wordSent.Count == 0 : wordSent.SingleOrDefault()?.Field("quality") == "xhigh", $"quality xhigh as written: {Said(words)}");
            var (ratio, ratioSent, ratioWhat) = Send(engine, newer, new("AspectRatio", "7:3", false), $"{newer}/7:3");
            var shape = ratioSent.SingleOrDefault();
            Expect(failures, ratioWhat, shape?.Field("size") is not null || shape?.Field("aspect_ratio") is not null, $"the ratio sent in the family's form: {Said(ratio)}");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Each_operation_goes_where_the_familys_route_goes_with_its_images_as_the_route_carries_them_and_WhatIf_is_the_wire()
    {
        await using var engine = await StartAsync();
        string reference = engine.WritePng("ref.png", shade: 3);
        string input = engine.WritePng("in.png", shade: 4);
        var files = new[] { reference, input }.ToDictionary(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))), f => Path.GetFileName(f)!);
        const string Url = "https://images.example/ref.png";
        var failures = new List<string>();

        foreach (var row in FamilyRow.Read(engine))
        {
            var operations = new (string Name, string Expected, string Command)[]
            {
                ("a generation", row.Routes.Generate, $"New-TuZiImage '{{0}}' -Model {row.Model}"),
                ("a generation with a reference file", row.Routes.GenerateWithFile, $"New-TuZiImage '{{0}}' -Model {row.Model} -ReferenceImage ref.png"),
                ("a generation with a reference URL", row.Routes.GenerateWithUrl, $"New-TuZiImage '{{0}}' -Model {row.Model} -ReferenceImage {Url}"),
                ("an edit", row.Routes.Edit, $"Edit-TuZiImage '{{0}}' in.png -Model {row.Model}"),
            };
            foreach (var (operation, expected, command) in operations)
            {
                string token = Guid.NewGuid().ToString("N")[..8];
                string what = $"{row.Model}, {operation}";
                int before = engine.HostUI.Text.Length;
                var whatIf = engine.Run(string.Format(command, token) + " -WhatIf");
                var targets = WireText.WhatIfTargets(engine.HostUI.Text[before..]);
                if (expected == ServiceDialect.Refused)
                {
                    Expect(failures, what, targets.Count == 0 && whatIf.Errors.Count == 1
                        && whatIf.Errors[0].FullyQualifiedErrorId.StartsWith(InvalidInput, StringComparison.Ordinal), $"refused before -WhatIf: {Said(whatIf)}");
                    continue;
                }
                var run = engine.Run(string.Format(command, token));
                var sent = Sent(engine, token);
                Expect(failures, what, run.Errors.Count == 0 && sent.Count == 1 && targets.Count == 1, $"one -WhatIf and one request answered: {Said(whatIf)} {Said(run)}");
                if (sent.Count != 1 || targets.Count != 1)
                {
                    continue;
                }
                var record = sent[0];
                var (path, carrier) = (expected.Split(' ')[0], expected.Split(' ').ElementAtOrDefault(1));
                Expect(failures, what, record.Path == path, $"POST {path}, but it went to {record.Path}");
                Expect(failures, what, Carried(record, carrier, Url), $"its image as '{carrier}': fields {string.Join(", ", record.Fields)}; files {string.Join(", ", record.Files.Select(f => f.FieldName))}");
                Expect(failures, what, targets[0] == WireText.Of(record, files), $"-WhatIf is the wire:{Environment.NewLine}  -WhatIf: {targets[0]}{Environment.NewLine}  wire:    {WireText.Of(record, files)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>A session whose tasks (the async family's) end at once and are polled at once.</summary>
    private static async Task<EngineSession> StartAsync()
    {
        var engine = await EngineSession.StartAsync(new FakeServerOptions { TaskDurationMs = 10 });
        engine.Server.TaskMode = new TaskMode { DurationMs = 10 };
        EngineSession.UseTaskPollInterval(TimeSpan.FromMilliseconds(50));
        return engine;
    }

    /// <summary>Whether the recorded request carries its one image the way the route is said to.</summary>
    private static bool Carried(RecordedRequest record, string? carrier, string url) => carrier switch
    {
        null => record.Files.Count == 0 && record.ImageUrls.Count == 0 && record.Field("image") is null,
        "json" => record.Field("image") is not null && record.Files.Count + record.ImageUrls.Count == 1,
        "parts" => record.Files.Count == 1 && record.Files[0].FieldName == "image",
        "input_reference" => record.Files.Count == 1 && record.Files[0].FieldName == "input_reference",
        "prompt" => record.Field("prompt")!.StartsWith(url + " ", StringComparison.Ordinal) && record.Field("image") is null,
        _ => false,
    };

    /// <summary>One request with one parameter set: its run, what reached the server, and how a failure names it.</summary>
    private static (EngineRun Run, IReadOnlyList<RecordedRequest> Sent, string What) Send(
        EngineSession engine, string model, ServiceDialect.FieldParameter parameter, string what)
    {
        string token = Guid.NewGuid().ToString("N")[..8];
        string command = parameter.EditOnly
            ? $"Edit-TuZiImage '{token}' in.png -Model {model} {parameter.Argument}"
            : $"New-TuZiImage '{token}' -Model {model} {parameter.Argument}";
        var run = engine.Run(command);
        return (run, Sent(engine, token), $"{what} ({command})");
    }

    private static IReadOnlyList<RecordedRequest> Sent(EngineSession engine, string token) =>
        engine.Server.Requests.Where(r => r.Method == "POST" && r.Field("prompt")?.EndsWith(token, StringComparison.Ordinal) == true).ToList();

    private static string Said(EngineRun run) =>
        run.Errors.Count == 0 ? "no error" : string.Join(" | ", run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + (e.ErrorDetails?.Message ?? e.Exception.Message)));

    private static void Expect(List<string> failures, string what, bool holds, string expectation)
    {
        if (!holds)
        {
            failures.Add($"{what}: expected {expectation}");
        }
    }
}
