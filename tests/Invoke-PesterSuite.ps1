#Requires -Version 5.1
<#
.SYNOPSIS
    Runs the Pester suite against the built module in this (fresh) PowerShell process.
.DESCRIPTION
    Called by build.ps1 -Task Test and by .ci/run as `pwsh -NoProfile -File tests/Invoke-PesterSuite.ps1`,
    so the module is imported into a process that has never loaded an older build of it.
#>
[CmdletBinding()]
param(
    [string] $ResultPath = (Join-Path (Split-Path -Parent $PSScriptRoot) 'out/TestResults/pester.xml')
)
$ErrorActionPreference = 'Stop'

$pester = Get-Module -ListAvailable Pester | Where-Object Version -ge ([version]'5.0') | Sort-Object Version -Descending | Select-Object -First 1
if (-not $pester) {
    throw 'Pester 5 is not installed. Install it with: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
}
Import-Module $pester

$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $ResultPath)
$configuration = New-PesterConfiguration
$configuration.Run.Path = Join-Path $PSScriptRoot 'TuZiImages.Tests.ps1'
$configuration.Run.Exit = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath
Invoke-Pester -Configuration $configuration
