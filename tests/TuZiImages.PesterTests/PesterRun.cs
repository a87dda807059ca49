using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace TuZiImages.PesterTests;

/// <summary>What Pester said of one It: its file, its Describe.It name, and how it ended.</summary>
public sealed record PesterTest(string File, string Name, PesterOutcome Outcome, string Message)
{
    /// <summary>The test's name in xunit's list, whole (xunit cuts a string argument at 50 characters).</summary>
    public override string ToString() => $"{File}: {Name}";
}

public enum PesterOutcome { Passed, Failed, Skipped }

/// <summary>
/// One run of tests/Invoke-PesterSuite.ps1 in the repository's pwsh (`dotnet tool run pwsh`, pinned in
/// .config/dotnet-tools.json), and the tests its NUnit XML reports. Whatever keeps the run from reporting, the
/// run itself becomes a failed test, so a broken suite never reads as fewer passes.
/// </summary>
public sealed class PesterRun
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private static readonly Lazy<PesterRun> Once = new(() => Start(), isThreadSafe: true);

    private PesterRun(IReadOnlyList<PesterTest> tests) => Tests = tests;

    public static PesterRun Instance => Once.Value;

    public IReadOnlyList<PesterTest> Tests { get; }

    private static string Metadata(string key) =>
        typeof(PesterRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static PesterRun Start()
    {
        string root = Metadata("RepositoryRoot");
        string results = Path.Combine(root, "out", "TestResults");
        string resultPath = Path.Combine(results, "pester.xml");
        string logPath = Path.Combine(results, "pester.log");
        Directory.CreateDirectory(results);
        File.Delete(resultPath);
        File.Delete(Path.ChangeExtension(resultPath, ".failures.json"));

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = root, // where `dotnet tool run` finds the manifest
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in new[]
        {
            "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive",
            "-File", Path.Combine(root, "tests", "Invoke-PesterSuite.ps1"),
            "-ResultPath", resultPath, "-PesterModule", Metadata("PesterModule"),
        })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["NO_COLOR"] = "1";

        var output = new StringBuilder();
        int exitCode;
        bool finished;
        using (var process = new Process { StartInfo = start })
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            finished = process.WaitForExit(Patience);
            if (!finished)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit();
            exitCode = finished ? process.ExitCode : -1;
        }
        string log;
        lock (output) log = output.ToString();
        File.WriteAllText(logPath, log);

        var tests = File.Exists(resultPath) ? Read(XDocument.Load(resultPath), root) : new List<PesterTest>();
        string failuresPath = Path.ChangeExtension(resultPath, ".failures.json");
        if (File.Exists(failuresPath))
        {
            tests.AddRange(JsonSerializer.Deserialize<List<Failed>>(File.ReadAllText(failuresPath))!.Select(failed =>
                new PesterTest(Relative(root, failed.File), failed.Name, PesterOutcome.Failed,
                    failed.Error.Length > 0 ? failed.Error : $"see {logPath}")));
        }
        if (!finished)
        {
            tests.Add(Failure($"the Pester suite did not finish within {Patience.TotalMinutes} minutes", log));
        }
        else if (exitCode != 0 && !tests.Any(t => t.Outcome == PesterOutcome.Failed))
        {
            tests.Add(Failure($"the Pester run failed (exit code {exitCode}) with no test or file failed", log));
        }
        else if (tests.Count == 0)
        {
            tests.Add(Failure("the Pester run reported no test", log));
        }
        return new PesterRun(tests);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>A file or Describe that failed beside its tests, as tests/Invoke-PesterSuite.ps1 writes it beside the XML.</summary>
    private sealed record Failed(string File, string Name, string Error);

    private static PesterTest Failure(string what, string log) =>
        new("(suite)", "Invoke-PesterSuite.ps1", PesterOutcome.Failed, $"{what}; its output:{Environment.NewLine}{log}");

    /// <summary>Pester's NUnit 2.5 XML: a test-suite per file (named by its path) holds the test-cases of its Its.</summary>
    private static List<PesterTest> Read(XDocument document, string root) =>
        document.Descendants("test-case").Select(testCase =>
        {
            string? file = testCase.Ancestors("test-suite")
                .Select(suite => (string?)suite.Attribute("name") ?? "")
                .FirstOrDefault(name => name.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase));
            string relativeFile = file is null ? "(no file)" : Relative(root, file);
            string name = (string?)testCase.Attribute("name") ?? "";
            string result = (string?)testCase.Attribute("result") ?? "";
            var failure = testCase.Element("failure") ?? testCase.Element("reason");
            string message = string.Join(Environment.NewLine,
                new[] { (string?)failure?.Element("message"), (string?)failure?.Element("stack-trace") }.Where(m => !string.IsNullOrWhiteSpace(m)));
            var outcome = result switch
            {
                "Success" => PesterOutcome.Passed,
                "Failure" or "Error" => PesterOutcome.Failed,
                _ => PesterOutcome.Skipped, // Ignored, Skipped, Inconclusive, NotRunnable: Pester did not pass it
            };
            if (outcome == PesterOutcome.Skipped && message.Length == 0)
            {
                message = $"Pester reported it {result}: a -Skip condition held on this machine.";
            }
            return new PesterTest(relativeFile, Regex.Replace(name, @"\s+", " "), outcome, message);
        }).ToList();
}
