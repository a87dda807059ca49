#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests and packages the TuZiImages module.
.DESCRIPTION
    Build    dotnet build: the module folder out/TuZiImages, version from TuZiImages.psd1.
    Test     Build, then dotnet test: the xunit tests and the Pester suite, which runs in the repository's pwsh (the
             local dotnet tool, pinned in .config/dotnet-tools.json) as one test per Pester It (results in out/TestResults).
    Pester   Build, then the Pester suite alone, in a fresh process of the repository's pwsh
             (dotnet tool run pwsh -File tests/Invoke-PesterSuite.ps1; NUnit XML in out/TestResults/pester.xml).
    Package  Build, then out/packages/TuZiImages.<version>.nupkg, installable with Install-PSResource or
             Install-Module from a local folder repository.
    Clean    Removes out/ and every bin/ and obj/ folder.
    Tasks run in the order given and stop at the first failure.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Clean, Test
.EXAMPLE
    ./build.ps1 -Task Pester
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleDirectory = Join-Path $out 'TuZiImages'

function Assert-Tool {
    param([string] $Name, [string] $Hint)
    if (-not (Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue)) {
        throw "'$Name' is not installed or not on PATH. $Hint"
    }
}

function Invoke-Tool {
    param([string] $Name, [string[]] $Arguments)
    Write-Host "> $Name $($Arguments -join ' ')" -ForegroundColor Cyan
    & $Name @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Name $($Arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile (Join-Path $root 'TuZiImages.psd1')).ModuleVersion
}

function Invoke-Build {
    Assert-Tool dotnet 'Install the .NET SDK 10 from https://dot.net.'
    Invoke-Tool dotnet @('build', (Join-Path $root 'TuZiImages.sln'), '-c', $Configuration, '--nologo')
    if (-not (Test-Path (Join-Path $moduleDirectory 'TuZiImages.dll'))) {
        throw "The build did not produce $moduleDirectory."
    }
    Write-Host "Module $(Get-ModuleVersion) built in $moduleDirectory" -ForegroundColor Green
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $out 'TestResults'
    Invoke-Tool dotnet @('test', (Join-Path $root 'TuZiImages.sln'), '-c', $Configuration, '--no-build', '--nologo',
        '--logger', 'trx;LogFileName=xunit.trx', '--results-directory', $results)
}

# The task Pester (Pester's own Invoke-Pester runs in the child pwsh, never here).
function Invoke-Pester {
    Invoke-Build
    # A fresh process of the pinned pwsh, whatever shell runs this: the module must load on its own, not into a
    # session that has an older build loaded.
    Push-Location $root
    try {
        Invoke-Tool dotnet @('tool', 'restore')
        Invoke-Tool dotnet @('tool', 'run', 'pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/Invoke-PesterSuite.ps1'),
            '-ResultPath', (Join-Path $out 'TestResults/pester.xml'))
    }
    finally {
        Pop-Location
    }
}

function Invoke-Package {
    Invoke-Build
    $manifest = Import-PowerShellDataFile (Join-Path $root 'TuZiImages.psd1')
    $version = $manifest.ModuleVersion
    $packages = Join-Path $out 'packages'
    $staging = Join-Path $out 'package-staging'
    Remove-Item -LiteralPath $staging -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Force -Path $staging, $packages

    # The layout PowerShellGet and PSResourceGet publish: the module's files at the package root, and a
    # nuspec whose tags say PSModule and name the cmdlets, so Find-PSResource -Type Module sees it.
    $psData = $manifest.PrivateData.PSData
    $tags = @('PSModule') + @($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" }) + @($psData.Tags)
    $escape = { param($text) [System.Security.SecurityElement]::Escape([string]$text) }
    $nuspec = @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd">
  <metadata>
    <id>TuZiImages</id>
    <version>$version</version>
    <authors>$(& $escape $manifest.Author)</authors>
    <owners>$(& $escape $manifest.CompanyName)</owners>
    <description>$(& $escape $manifest.Description)</description>
    <copyright>$(& $escape $manifest.Copyright)</copyright>
    <projectUrl>$(& $escape $psData.ProjectUri)</projectUrl>
    <license type="expression">MIT</license>
    <releaseNotes>$(& $escape $psData.ReleaseNotes)</releaseNotes>
    <tags>$(& $escape ($tags -join ' '))</tags>
  </metadata>
  <files>
    <file src="$(& $escape (Join-Path $moduleDirectory '**'))" target="" />
  </files>
</package>
"@
    $nuspecPath = Join-Path $staging 'TuZiImages.nuspec'
    Set-Content -LiteralPath $nuspecPath -Value $nuspec -Encoding UTF8
    # dotnet pack needs a project to run; an empty one that points at the nuspec is enough.
    $project = Join-Path $staging 'Package.csproj'
    Set-Content -LiteralPath $project -Encoding UTF8 -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <NuspecFile>$(& $escape $nuspecPath)</NuspecFile>
    <NoBuild>true</NoBuild>
    <IncludeBuildOutput>false</IncludeBuildOutput>
    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <NoWarn>NU5100;NU5110;NU5111</NoWarn>
  </PropertyGroup>
</Project>
"@
    Invoke-Tool dotnet @('restore', $project, '--nologo')
    Invoke-Tool dotnet @('pack', $project, '-o', $packages, '--nologo', '--no-restore')
    Remove-Item -LiteralPath $staging -Recurse -Force
    $package = Join-Path $packages "TuZiImages.$version.nupkg"
    if (-not (Test-Path $package)) {
        throw "dotnet pack did not produce $package."
    }
    Write-Host "Package: $package" -ForegroundColor Green
}

function Invoke-Clean {
    Remove-Item -LiteralPath $out -Recurse -Force -ErrorAction SilentlyContinue
    Get-ChildItem -LiteralPath (Join-Path $root 'src'), (Join-Path $root 'tests'), (Join-Path $root 'bench') -Directory -Recurse -Include bin, obj |
        Remove-Item -Recurse -Force
    Write-Host 'Cleaned out/, bin/ and obj/.' -ForegroundColor Green
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Yellow
    & "Invoke-$name"
}
