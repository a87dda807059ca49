using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Reflection;

namespace TuZiImages.EngineTests.Discovery;

/// <summary>
/// CI has no pwsh to run the Pester suite, so a typo there would wait for the next person with PowerShell.
/// The engine's own parser reads every script the suite runs.
/// </summary>
[Trait("Category", "Engine")]
public sealed class PesterSuiteTests
{
    private static readonly string Root =
        typeof(PesterSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Theory]
    [InlineData("tests/TuZiImages.Tests.ps1")]
    [InlineData("tests/Invoke-PesterSuite.ps1")]
    [InlineData("tests/Pester/TestServer.psm1")]
    [InlineData("build.ps1")]
    public void A_script_of_the_Pester_suite_parses(string relativePath)
    {
        string path = Path.Combine(Root, relativePath);

        Parser.ParseFile(path, out _, out ParseError[] errors);

        Assert.True(File.Exists(path), path);
        Assert.Empty(errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}"));
    }
}
