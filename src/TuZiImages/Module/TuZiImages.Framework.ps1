# Windows PowerShell on .NET Framework below 4.7.2 cannot load the module's netstandard 2.0 assemblies, and says only
# "Could not load file or assembly 'netstandard'", which names neither the cause nor the fix. This says both, before
# those assemblies load (TuZiImages.Requirements.psm1 runs it). Tests pass -Release to ask what another machine is told.
param(
    [Nullable[int]] $Release = $null
)

if ($null -eq $Release) {
    # A machine whose registry cannot be read here is given the benefit of the doubt: the import says the rest.
    $Release = (Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction SilentlyContinue).Release
}
# 461808 is .NET Framework 4.7.2, the first that runs netstandard 2.0 assemblies with nothing shipped beside them.
if ($null -ne $Release -and $Release -lt 461808) {
    throw [System.PlatformNotSupportedException]::new(
        "TuZiImages needs .NET Framework 4.7.2 or later to run in Windows PowerShell 5.1; this computer has an older one (release $Release). " +
        "Install .NET Framework 4.8 (https://dotnet.microsoft.com/download/dotnet-framework) and start a new PowerShell, or use PowerShell 7.4 or later.")
}
