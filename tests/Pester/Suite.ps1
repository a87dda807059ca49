# What every file of the Pester suite starts with, dot-sourced in its top-level BeforeAll:
#     BeforeAll { . (Join-Path $PSScriptRoot 'Pester/Suite.ps1') }
#     AfterAll { Complete-TuZiTestFile }
# It imports the built module (or $env:TUZI_MODULE_PATH), starts the fake service as a process of its own, and
# points TUZI_API_KEY and TUZI_BASE_URL at it for the file's tests.

# Pester sets $PSScriptRoot to the test file's folder in the scope this is dot-sourced into: ask the script itself.
$suiteFolder = Split-Path -Parent $MyInvocation.MyCommand.Path
$script:repositoryRoot = Split-Path -Parent (Split-Path -Parent $suiteFolder)
$script:modulePath = if ($env:TUZI_MODULE_PATH) { $env:TUZI_MODULE_PATH } else { Join-Path $script:repositoryRoot 'out/TuZiImages/TuZiImages.psd1' }
$script:modulePath = (Resolve-Path -LiteralPath $script:modulePath).ProviderPath
Import-Module $script:modulePath -Force -ErrorAction Stop
Import-Module (Join-Path $suiteFolder 'TestServer.psm1') -Force

$script:server = Start-TuZiTestServer -RepositoryRoot $script:repositoryRoot
$script:apiKey = 'sk-pester-' + [guid]::NewGuid().ToString('N')
$script:savedEnvironment = @{ Key = $env:TUZI_API_KEY; Url = $env:TUZI_BASE_URL }
$env:TUZI_API_KEY = $script:apiKey
$env:TUZI_BASE_URL = $script:server.ApiUri

function Complete-TuZiTestFile {
    Stop-TuZiTestServer $script:server
    $env:TUZI_API_KEY = $script:savedEnvironment.Key
    $env:TUZI_BASE_URL = $script:savedEnvironment.Url
    Remove-Module TuZiImages -ErrorAction SilentlyContinue
}

# The current folder for one test: TestDrive:, emptied, with the server's log and faults cleared.
function Enter-TuZiTestFolder {
    Reset-TuZiTestServer $script:server
    Push-Location TestDrive:
    Get-ChildItem -Force | Remove-Item -Recurse -Force
}

function New-TestPng {
    param([string] $Path, [int] $Shade = 0)
    # The smallest real PNG: 1x1 grey, with the shade in the pixel so files differ.
    $bytes = [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==')
    $bytes[$bytes.Length - 13] = [byte]$Shade
    [System.IO.File]::WriteAllBytes($Path, $bytes)
    Get-Item -LiteralPath $Path
}

# What Tab offers at the end of a typed line, in this host.
function Get-TabCompletion {
    param([string] $Line)
    (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
}
