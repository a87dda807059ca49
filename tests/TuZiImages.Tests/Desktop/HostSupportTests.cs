using System;
using TuZiImages.Core.Platform;

namespace TuZiImages.Tests.Desktop;

/// <summary>The import-time guard: PowerShell 7 before 7.4 is refused with a message, not a FileLoadException later.</summary>
public class HostSupportTests
{
    [Theory]
    [InlineData("7.0.13.500", "7.0.13")]
    [InlineData("7.2.18.500", "7.2.18")]
    [InlineData("7.3.12.500", "7.3.12")]
    [InlineData("6.2.7.0", "6.2.7")]
    public void PowerShell_7_before_7_4_is_refused_and_told_what_to_install(string engineVersion, string display)
    {
        var refusal = HostSupport.Refusal(isNetFramework: false, Version.Parse(engineVersion), display);

        Assert.NotNull(refusal);
        Assert.StartsWith($"TuZiImages needs PowerShell 7.4 or later, or Windows PowerShell 5.1; this is {display}.", refusal);
        Assert.Contains("System.Text.Json", refusal);
    }

    [Theory]
    [InlineData("7.4.0.500")]
    [InlineData("7.4.6.500")]
    [InlineData("7.5.0.3")] // a 7.5 preview
    [InlineData("7.6.9.500")]
    [InlineData("8.0.0.0")]
    public void PowerShell_7_4_and_later_is_accepted(string engineVersion) =>
        Assert.Null(HostSupport.Refusal(isNetFramework: false, Version.Parse(engineVersion), engineVersion));

    [Fact]
    public void Windows_PowerShell_is_accepted_whatever_its_engine_assembly_says() =>
        // On .NET Framework the engine assembly is 3.0.0.0 in 5.1; the manifest has already required 5.1.
        Assert.Null(HostSupport.Refusal(isNetFramework: true, new Version(3, 0, 0, 0), "5.1.22621.4391"));

    [Fact]
    public void This_test_process_is_not_NET_Framework() =>
        Assert.False(HostSupport.IsNetFramework);
}
