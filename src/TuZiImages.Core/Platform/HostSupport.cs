using System;

namespace TuZiImages.Core.Platform;

/// <summary>Which PowerShell the module can run in, and why not elsewhere.</summary>
public static class HostSupport
{
    /// <summary>
    /// The module references System.Text.Json 8.0.0.0. PowerShell 7 binds it to the runtime's own copy, which has
    /// the runtime's version: PowerShell 7.4 runs on .NET 8; 7.2 (.NET 6), 7.3 (.NET 7) and 6.x end in a
    /// FileLoadException on the first request.
    /// </summary>
    public static readonly Version MinimumCorePowerShell = new(7, 4);

    /// <summary>True in Windows PowerShell (PSEdition Desktop): the one host that runs on .NET Framework.</summary>
    public static bool IsNetFramework { get; } = typeof(object).Assembly.GetName().Name == "mscorlib";

    /// <summary>
    /// Null when the module can run here; otherwise the message to refuse the import with. Windows PowerShell is
    /// 5.1 whenever this runs: the manifest's PowerShellVersion turns older ones away before the import.
    /// </summary>
    /// <param name="powerShellVersion">The engine's version; only major.minor count.</param>
    /// <param name="displayVersion">How to name it to the user ("7.2.18", "7.5.0-preview.3").</param>
    public static string? Refusal(bool isNetFramework, Version powerShellVersion, string displayVersion)
    {
        if (isNetFramework || new Version(powerShellVersion.Major, powerShellVersion.Minor) >= MinimumCorePowerShell)
        {
            return null;
        }
        return $"TuZiImages needs PowerShell 7.4 or later, or Windows PowerShell 5.1; this is {displayVersion}. "
            + "Before 7.4, PowerShell's .NET carries a System.Text.Json older than the 8.0 the module is built with. "
            + "Install PowerShell 7.4 or later (https://aka.ms/powershell), or use powershell.exe on Windows.";
    }
}
