using System.Collections.Generic;
using System.Linq;

namespace TuZiImages.PesterTests;

/// <summary>
/// The Pester suite, run once in a real pwsh when the first of these tests runs, reported as one test per Pester It:
/// passed, failed (with Pester's message) or skipped as Pester had it. The Its are known only from that run, so the
/// data is read when the tests run, not when they are discovered.
/// </summary>
[Trait("Category", "Pester")]
public sealed class PesterSuiteTests
{
    public static IEnumerable<object[]> Its() => PesterRun.Instance.Tests.Select(t => new object[] { t });

    [SkippableTheory]
    [MemberData(nameof(Its), DisableDiscoveryEnumeration = true)]
    public void It(PesterTest test)
    {
        Skip.If(test.Outcome == PesterOutcome.Skipped, test.Message);
        Assert.True(test.Outcome == PesterOutcome.Passed, test.Message);
    }
}
