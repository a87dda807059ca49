using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace TuZiImages.Tests.Repository;

/// <summary>Transport carries calls and reads no images: each call hands in the reader of its own answer.</summary>
public sealed class DependencyTests
{
    private static readonly string RepoRoot = typeof(DependencyTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    [Fact]
    public void Transport_names_nothing_of_requests_answers_results_files_tasks_or_commands()
    {
        string[] above = { "Requests", "Responses", "Results", "Saving", "Tasks", "Invocation" };
        var uses = Directory.GetFiles(Path.Combine(RepoRoot, "src", "TuZiImages.Core", "Transport"), "*.cs")
            .SelectMany(file => File.ReadAllLines(file).Select((line, i) => (File: Path.GetFileName(file), Line: i + 1, Text: line)))
            .Where(l => above.Any(folder => l.Text.Contains($"using TuZiImages.Core.{folder};")
                || Regex.IsMatch(l.Text, $@"(?<![\w.])(TuZiImages\.Core\.)?{folder}\.[A-Z]")))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToArray();

        Assert.Empty(uses);
    }
}
