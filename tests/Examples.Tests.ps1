#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Every example of every cmdlet's help and every PowerShell block of the README, run as written against the test
# server, so a wrong example fails CI. Here and not in the engine tests: the examples use Get-ChildItem, Get-Content,
# Import-Csv, Select-Object and Set-Content, which only a real pwsh has (the hosted engine has the engine's own
# cmdlets), and a user runs them in pwsh.
#
# The help examples are read from the built module with Get-Help -Examples, for every command the module exports,
# so a new cmdlet's examples join by themselves. Each example runs in a folder of its own that holds the files the
# examples name (Initialize-TuZiExampleFolder: add a file there when an example needs a new one), with TUZI_API_KEY
# and TUZI_BASE_URL pointing at the test server, as a user's session would. What the runner changes, and why:
# - Invoke-Item is mocked (it would open a viewer) and Read-Host answers a key (it would wait for a person).
# - Addresses that stand for a server of the reader's own are the test server's: http://127.0.0.1:5055 (the
#   README's Try it offline, where the reader starts it on that port) and https://api.example.com (another service).
# - Tasks of the async models are polled every 50 ms instead of 5 s; the task ids the examples type are seeded.
# An example fails on any error it writes, except the ones it asks the test server for ([fault:...] in a prompt),
# and on reaching no service at all when it runs a command that talks to one (an undefined variable piped in).

BeforeDiscovery {
    $repositoryRoot = Split-Path -Parent $PSScriptRoot
    $manifest = if ($env:TUZI_MODULE_PATH) { $env:TUZI_MODULE_PATH } else { Join-Path $repositoryRoot 'out/TuZiImages/TuZiImages.psd1' }
    Import-Module $manifest -Force -ErrorAction Stop

    $helpExamples = foreach ($command in Get-Command -Module TuZiImages | Sort-Object Name) {
        $number = 0
        foreach ($example in @((Get-Help $command.Name -Examples).examples.example)) {
            $number++
            @{
                Name  = "$($command.Name) example $number"
                Title = ($example.title -replace '^[-\s]+|[-\s]+$', '') -replace '^Example \d+:\s*', ''
                Code  = [string]$example.code
            }
        }
    }

    # The README's PowerShell blocks, each named by its section and line; shell blocks are for a shell.
    $readmeBlocks = @()
    $section = 'its opening'
    $lines = Get-Content -LiteralPath (Join-Path $repositoryRoot 'README.md')
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match '^##+\s+(.+)$') { $section = $Matches[1] }
        if ($lines[$i] -ne '```powershell') { continue }
        $start = $i + 1
        $code = for ($i++; $lines[$i] -ne '```'; $i++) { $lines[$i] }
        $readmeBlocks += @{ Name = "README, $section, line $start"; Code = $code -join "`n" }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')
    $script:moduleFolder = Split-Path -Parent $script:modulePath
    $pollInterval = [TuZiImages.Core.TuZiClientOptions].GetProperty('DefaultTaskPollInterval', [System.Reflection.BindingFlags]'NonPublic, Static')
    $script:savedPollInterval = $pollInterval.GetValue($null)
    $pollInterval.SetValue($null, [TimeSpan]::FromMilliseconds(50))

    # An image made by the module, with its record inside (a Seedream model, seed 42), for the examples that read
    # records from ./out: made once, copied into each example's folder.
    $script:recordedFolder = Join-Path ([System.IO.Path]::GetTempPath()) ('tuzi-examples-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $script:recordedFolder
    $null = New-TuZiImage 'a red fox in the snow' -Model doubao-seedream-4-0-250828 -AdditionalParameter @{ seed = 42 } -OutFile (Join-Path $script:recordedFolder 'fox.png') -ErrorAction Stop

    # A JPEG's start up to its frame header (16x8): all the module reads of an image it sends.
    $script:jpeg = [byte[]](0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10) + [Text.Encoding]::ASCII.GetBytes("JFIF`0") + [byte[]](1, 1, 0, 0, 1, 0, 1, 0, 0) +
        [byte[]](0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x08, 0x00, 0x10, 0x03) + [byte[]]::new(15) + [byte[]](0xFF, 0xD9)

    # The files the examples name, in the current folder, and the task ids they type, on the server.
    function Initialize-TuZiExampleFolder {
        $here = (Get-Location).ProviderPath
        $shade = 0
        foreach ($name in 'ref1.png', 'ref2.png', 'room.png', 'window-mask.png', 'portrait.png', 'photo[1].png') {
            $null = New-TestPng -Path (Join-Path $here $name) -Shade ($shade += 10)
        }
        foreach ($name in 'cat.jpg', 'dog.jpg') {
            [System.IO.File]::WriteAllBytes((Join-Path $here $name), $script:jpeg)
        }
        # A blank line, as prompts files have: it is skipped.
        "a red fox`n`na blue whale`n" | Set-Content -LiteralPath (Join-Path $here 'prompts.txt') -NoNewline
        @(
            'Prompt,Model,Size,AspectRatio,Quality,Count,OutFile'
            'a lighthouse at dusk,,,16:9,2k,,lighthouse.png'
            'a castle,gpt-image-1,1024x1536,,,2,'
            'a bridge,,,,,,'
        ) | Set-Content -LiteralPath (Join-Path $here 'jobs.csv')
        # The README's Quick start imports ./out/TuZiImages, the build's folder: here it is a link to the built module.
        $null = New-Item -ItemType Directory -Path (Join-Path $here 'out')
        $null = New-Item -ItemType $(if ($IsWindows) { 'Junction' } else { 'SymbolicLink' }) -Path (Join-Path $here 'out/TuZiImages') -Target $script:moduleFolder
        # Images made earlier: one the module made, with its record, and a download no tool recorded.
        Copy-Item -LiteralPath (Join-Path $script:recordedFolder 'fox.png') -Destination (Join-Path $here 'out/fox.png')
        $null = New-Item -ItemType Directory -Path (Join-Path $here 'downloads')
        Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'TuZiImages.Tests/Provenance/Fixtures/image.jpg') -Destination (Join-Path $here 'downloads/photo.jpg')
        $seed = @{ ids = @('task_01jx8k2', 'task_a', 'task_b', 'task_c'); model = 'gemini-3-pro-image-preview-async' } | ConvertTo-Json -Compress
        $null = Invoke-RestMethod -Method Post -Uri "$($script:server.ApiUri)/_control/tasks/seed" -ContentType 'application/json' -Body $seed
    }

    function Remove-TuZiExampleLink {
        $link = Join-Path (Get-Location).ProviderPath 'out/TuZiImages'
        # Removes the link only, never the built module it points at.
        if (Test-Path -LiteralPath $link) { [System.IO.Directory]::Delete($link, $false) }
    }

    # Runs an example's code as a user types it, and fails with every error it wrote that it did not ask for.
    function Invoke-TuZiExample {
        param([string] $Code)
        $code = $Code.Replace('http://127.0.0.1:5055', $script:server.ApiUri).Replace('https://api.example.com', $script:server.ApiUri)
        $saved = @{ Key = $env:TUZI_API_KEY; Url = $env:TUZI_BASE_URL; Model = $env:TUZI_IMAGE_MODEL; Defaults = $PSDefaultParameterValues.Clone() }
        if ($code -match 'Import-Module') { Remove-Module TuZiImages }
        $errors = [System.Collections.Generic.List[object]]::new()
        $ErrorActionPreference = 'Continue'
        try {
            # Through Out-String, as the console shows it: the module's views run too.
            $null = & ([scriptblock]::Create($code)) 2>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors.Add($_) } else { $_ }
            } | Out-String
        }
        catch {
            $errors.Add($_)
        }
        finally {
            $env:TUZI_API_KEY = $saved.Key
            $env:TUZI_BASE_URL = $saved.Url
            $env:TUZI_IMAGE_MODEL = $saved.Model
            $PSDefaultParameterValues.Clear()
            foreach ($entry in $saved.Defaults.GetEnumerator()) { $PSDefaultParameterValues[$entry.Key] = $entry.Value }
            if ((Get-Module TuZiImages).ModuleBase -ne $script:moduleFolder) {
                Remove-Module TuZiImages -ErrorAction SilentlyContinue
                Import-Module $script:modulePath -ErrorAction Stop
            }
        }
        $unasked = @($errors | Where-Object { "$($_.TargetObject)" -notmatch '\[fault:\d+\]' })
        $unasked | ForEach-Object { "$_ ($($_.FullyQualifiedErrorId), at $($_.InvocationInfo.PositionMessage))" } | Should -BeNullOrEmpty -Because 'an example must run as written'
        # Commands that run (not names given to Get-Help), read from the code's syntax tree, whose requests the server logs.
        $talking = [scriptblock]::Create($code).Ast.FindAll({
                param($node)
                $node -is [System.Management.Automation.Language.CommandAst] -and
                    $node.GetCommandName() -in 'New-TuZiImage', 'Edit-TuZiImage', 'Receive-TuZiImage', 'Get-TuZiModel'
            }, $true)
        if (@($talking).Count -gt 0 -and $code -notmatch '-WhatIf') {
            # Assigned first: Get-TuZiTestRequest writes its array as one object, which @() would count as one.
            $requests = Get-TuZiTestRequest $script:server
            $requests.Count | Should -BeGreaterThan 0 -Because 'an example that talks to the service must reach it'
        }
    }
}

AfterAll {
    Remove-Item -LiteralPath $script:recordedFolder -Recurse -Force -ErrorAction SilentlyContinue
    [TuZiImages.Core.TuZiClientOptions].GetProperty('DefaultTaskPollInterval', [System.Reflection.BindingFlags]'NonPublic, Static').SetValue($null, $script:savedPollInterval)
    Complete-TuZiTestFile
}

Describe 'Examples' {
    # Each example in a folder of its own, with the files it names, a viewer that opens nothing and a prompt that answers.
    BeforeEach {
        Enter-TuZiTestFolder
        Initialize-TuZiExampleFolder
        $script:outBefore = @(Get-ChildItem -LiteralPath out -Force).Name
        Mock Invoke-Item { }
        Mock Read-Host { ConvertTo-SecureString 'sk-typed-at-the-prompt' -AsPlainText -Force }
    }

    AfterEach {
        Remove-TuZiExampleLink
        Pop-Location
    }

    Context 'Every example of every cmdlet''s help runs as written' {
        It '<Name>: <Title>' -ForEach $helpExamples {
            Invoke-TuZiExample $Code
        }
    }

    Context 'Every PowerShell block of the README runs as written' {
        It '<Name>' -ForEach $readmeBlocks {
            Invoke-TuZiExample $Code

            # ./out is the build's own folder, which ./build.ps1 -Task Clean deletes: the README never saves there.
            @(Get-ChildItem -LiteralPath out -Force | Where-Object Name -notin $script:outBefore).Name | Should -BeNullOrEmpty -Because 'the README must not save images in ./out'
        }
    }
}
