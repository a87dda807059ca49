#Requires -Version 5.1
<#
.SYNOPSIS
    Runs the Pester suite (tests/*.Tests.ps1) against the built module in this (fresh) PowerShell process.
.DESCRIPTION
    `dotnet test TuZiImages.sln` runs it through tests/TuZiImages.PesterTests, in the repository's own pwsh (the local
    dotnet tool) with the Pester its project restores. To run it alone, after `dotnet build TuZiImages.sln`:

        dotnet tool restore
        dotnet tool run pwsh -NoProfile -File tests/Invoke-PesterSuite.ps1

    or `./build.ps1 -Task Pester`. A fresh process each time: the module must load on its own, not into a session
    that has an older build loaded.
.PARAMETER Path
    The Pester files to run; all of tests/*.Tests.ps1 by default.
.PARAMETER PesterModule
    Pester.psd1 to import; by default the one of the Pester package that tests/TuZiImages.PesterTests restores,
    asked of MSBuild.
#>
[CmdletBinding()]
param(
    [string] $ResultPath = (Join-Path (Split-Path -Parent $PSScriptRoot) 'out/TestResults/pester.xml'),
    [string[]] $Path = @(Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Tests.ps1' | Sort-Object Name | ForEach-Object FullName),
    [string] $PesterModule
)
$ErrorActionPreference = 'Stop'

if (-not $PesterModule) {
    $project = Join-Path $PSScriptRoot 'TuZiImages.PesterTests/TuZiImages.PesterTests.csproj'
    $PesterModule = & dotnet msbuild $project -nologo -getProperty:PesterModule
    if ($LASTEXITCODE -ne 0) {
        throw "MSBuild could not say where Pester is ($project): $PesterModule"
    }
}
if (-not (Test-Path -LiteralPath $PesterModule)) {
    throw "Pester is not at '$PesterModule'. Run 'dotnet build TuZiImages.sln' (or 'dotnet restore tests/TuZiImages.PesterTests') first."
}
Import-Module $PesterModule -ErrorAction Stop

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $ResultPath)
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath
$run = Invoke-Pester -Configuration $configuration

# The NUnit XML leaves out what failed beside the tests: a file that did not load or whose BeforeAll/AfterAll threw,
# and a Describe whose AfterAll threw. Write them beside it, for tests/TuZiImages.PesterTests.
$describe = { param($ErrorRecord) ($ErrorRecord | ForEach-Object { "$_`n$($_.ScriptStackTrace)" }) -join "`n" }
$failures = @(
    $run.FailedContainers | ForEach-Object { [pscustomobject]@{ File = [string]$_.Item; Name = '(the file as a whole)'; Error = & $describe $_.ErrorRecord } }
    $run.FailedBlocks | ForEach-Object { [pscustomobject]@{ File = $_.ScriptBlock.File; Name = "$($_.Path -join '.') (the block as a whole)"; Error = & $describe $_.ErrorRecord } }
)
ConvertTo-Json -InputObject $failures -Depth 3 | Set-Content -LiteralPath ([IO.Path]::ChangeExtension($ResultPath, '.failures.json')) -Encoding UTF8
exit ($run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount)
