using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Discovery;

/// <summary>
/// The engine's own parser reads every script of the Pester suite and build.ps1, so a syntax error is named with
/// its line here, in seconds, rather than as a Pester file that failed to load.
/// </summary>
[Trait("Category", "Engine")]
public sealed class PesterSuiteTests
{
    private static readonly string Root = EngineSession.RepositoryRoot;

    /// <summary>Every Pester file (tests/*.Tests.ps1), its helpers (tests/Pester), its runner and build.ps1.</summary>
    public static IEnumerable<object[]> Scripts()
    {
        var tests = Path.Combine(Root, "tests");
        return Directory.EnumerateFiles(tests, "*.Tests.ps1")
            .Concat(Directory.EnumerateFiles(Path.Combine(tests, "Pester")).Where(f => f.EndsWith(".ps1") || f.EndsWith(".psm1")))
            .Append(Path.Combine(tests, "Invoke-PesterSuite.ps1"))
            .Append(Path.Combine(Root, "build.ps1"))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order()
            .Select(f => new object[] { f });
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void A_script_of_the_Pester_suite_parses(string relativePath)
    {
        string path = Path.Combine(Root, relativePath);

        Parser.ParseFile(path, out _, out ParseError[] errors);

        Assert.True(File.Exists(path), path);
        Assert.Empty(errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}"));
    }
}
