using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace TuZiImages.Tests.Repository;

/// <summary>The README's layout table is the map of the core: every folder in it, nothing that is not there, each keeping to its concern.</summary>
public sealed class LayoutTests
{
    internal static readonly string RepoRoot = typeof(LayoutTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    [Fact]
    public void The_README_layout_table_names_every_folder_of_the_core_and_only_those()
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
        var listed = Regex.Matches(readme, @"^\| `src/TuZiImages\.Core/([A-Za-z]+)` \| \S", RegexOptions.Multiline)
            .Cast<Match>().Select(m => m.Groups[1].Value).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var folders = Directory.GetDirectories(Path.Combine(RepoRoot, "src", "TuZiImages.Core"))
            .Where(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories).Any())
            .Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        Assert.Equal(folders, listed);
    }

    [Fact]
    public void Every_type_of_the_core_is_in_the_namespace_of_its_folder_or_one_the_README_names()
    {
        // Polyfills are in the namespaces where the compiler looks for them.
        string[] keptAtTheRoot = { "TuZiImageResult", "TuZiImageUsage", "TuZiModel", "TuZiImagesException", "TuZiErrorKind", "TuZiBalance", "TuZiImageInfo" };
        string core = Path.Combine(RepoRoot, "src", "TuZiImages.Core");
        var misplaced = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                && !p.Contains(Path.DirectorySeparatorChar + "Polyfills" + Path.DirectorySeparatorChar)
                && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .Select(p => (File: Path.GetRelativePath(core, p), Text: File.ReadAllText(p)))
            .Select(f => (f.File, Namespace: Regex.Match(f.Text, @"^namespace ([\w.]+);", RegexOptions.Multiline).Groups[1].Value,
                Folder: Path.GetDirectoryName(f.File)!.Replace(Path.DirectorySeparatorChar, '.')))
            .Where(f => f.Namespace != "TuZiImages.Core" + (f.Folder.Length == 0 ? "" : "." + f.Folder)
                && !(f.Namespace == "TuZiImages.Core" && keptAtTheRoot.Contains(Path.GetFileNameWithoutExtension(f.File))))
            .Select(f => $"{f.File}: {f.Namespace}")
            .ToArray();

        Assert.Empty(misplaced);
    }

    /// <summary>Transport carries calls and reads no images: each call hands in the reader of its own answer.</summary>
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
