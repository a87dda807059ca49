using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace TuZiImages.Tests.Repository;

/// <summary>
/// What the README says of the repository itself, which no example can run: its test command. (Its PowerShell blocks
/// run in tests/Examples.Tests.ps1, which also fails one that saves into ./out.)
/// </summary>
public sealed class ReadmeTests
{
    private static readonly string RepoRoot = LayoutTests.RepoRoot;

    [Fact]
    public void Build_and_test__the_README_test_command_is_the_one_that_ends_with_the_total_line()
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
        string section = Regex.Match(readme, @"(?ms)^## Build and test$(.*?)^## ").Groups[1].Value;
        string commands = Regex.Match(section, @"(?ms)^```sh$(.*?)^```$").Groups[1].Value;
        string ciRun = File.ReadAllText(Path.Combine(RepoRoot, ".ci", "run"));
        string lastEcho = ciRun.Split('\n').Last(l => l.TrimStart().StartsWith("echo ", StringComparison.Ordinal));

        // The first command block of the section is the one a reader copies: its test command must print the count line it describes.
        Assert.Contains(commands.Split('\n'), l => Regex.IsMatch(l, @"^bash \.ci/run\b"));
        Assert.DoesNotContain(commands.Split('\n'), l => l.StartsWith("dotnet test", StringComparison.Ordinal));
        Assert.Contains("echo \"total: ", lastEcho);
        Assert.Contains("total: N passed, N failed, N skipped", section);
    }
}
