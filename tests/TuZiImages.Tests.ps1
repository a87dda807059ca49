#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The headline scenarios, in a real PowerShell pipeline, against the fake service on 127.0.0.1.
# Run through tests/Invoke-PesterSuite.ps1 (or build.ps1 -Task Test), which starts a fresh pwsh.

BeforeAll {
    $repositoryRoot = Split-Path -Parent $PSScriptRoot
    $modulePath = if ($env:TUZI_MODULE_PATH) { $env:TUZI_MODULE_PATH } else { Join-Path $repositoryRoot 'out/TuZiImages/TuZiImages.psd1' }
    Import-Module $modulePath -Force -ErrorAction Stop
    Import-Module (Join-Path $PSScriptRoot 'Pester/TestServer.psm1') -Force

    $script:server = Start-TuZiTestServer -RepositoryRoot $repositoryRoot
    $script:apiKey = 'sk-pester-' + [guid]::NewGuid().ToString('N')
    $script:savedEnvironment = @{ Key = $env:TUZI_API_KEY; Url = $env:TUZI_BASE_URL }
    $env:TUZI_API_KEY = $script:apiKey
    $env:TUZI_BASE_URL = $script:server.ApiUri

    function New-TestPng {
        param([string] $Path, [int] $Shade = 0)
        # The smallest real PNG: 1x1 grey, with the shade in the pixel so files differ.
        $bytes = [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==')
        $bytes[$bytes.Length - 13] = [byte]$Shade
        [System.IO.File]::WriteAllBytes($Path, $bytes)
        Get-Item -LiteralPath $Path
    }

    # A runspace of its own, in the current folder, with the module imported; optionally with the recording
    # host the engine tests use (it keeps -WhatIf text and answers -Confirm with "No").
    function New-TestShell {
        param([System.Management.Automation.Host.PSHost] $TestHost)
        $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $runspace = if ($TestHost) { [runspacefactory]::CreateRunspace($TestHost, $state) } else { [runspacefactory]::CreateRunspace($state) }
        $runspace.Open()
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        $null = $shell.AddScript({
                param($ModulePath, $Folder)
                Import-Module $ModulePath
                Set-Location -LiteralPath $Folder
            }).AddArgument((Get-Module TuZiImages).Path).AddArgument((Get-Location).ProviderPath).Invoke()
        $shell.Commands.Clear()
        $shell
    }

    function Remove-TestShell {
        param($Shell)
        $Shell.Runspace.Dispose()
        $Shell.Dispose()
    }

    function New-RecordingHost {
        if (-not ('TuZiImages.Testing.RecordingPSHost' -as [type])) {
            Add-Type -Path (Join-Path $PSScriptRoot 'Pester/RecordingPSHost.cs')
        }
        [TuZiImages.Testing.RecordingPSHost]::new()
    }
}

AfterAll {
    Stop-TuZiTestServer $script:server
    $env:TUZI_API_KEY = $script:savedEnvironment.Key
    $env:TUZI_BASE_URL = $script:savedEnvironment.Url
    Remove-Module TuZiImages -ErrorAction SilentlyContinue
}

Describe 'Edit-TuZiImage' {
    BeforeEach {
        Reset-TuZiTestServer $script:server
        Push-Location TestDrive:
        Get-ChildItem | Remove-Item -Recurse -Force
        1..3 | ForEach-Object { New-TestPng -Path (Join-Path (Get-Location).ProviderPath "photo$_.png") -Shade $_ } | Out-Null
    }
    AfterEach { Pop-Location }

    It 'merges every piped image into one request' {
        $result = Get-ChildItem *.png | Edit-TuZiImage -Prompt 'merge' -ResponseFormat b64_json

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 1
        $requests[0].path | Should -Be '/v1/images/edits'
        @($requests[0].files | Where-Object fieldName -eq 'image').fileName | Should -Be @('photo1.png', 'photo2.png', 'photo3.png')
        @($result).Count | Should -Be 1
        $result.FullName | Should -Exist
        $result.InputImages.Count | Should -Be 3
    }

    It 'sends one request per image with -Separately' {
        $results = Get-ChildItem *.png | Edit-TuZiImage -Prompt 'make it black and white' -Separately -ResponseFormat b64_json

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 3
        $requests | ForEach-Object { @($_.files).Count | Should -Be 1 }
        @($results).Count | Should -Be 3
        @($results.FullName | Select-Object -Unique).Count | Should -Be 3
    }

    It 'goes on past a missing file and names it in a non-terminating error' {
        $results = Edit-TuZiImage -Prompt 'fix' -Path 'photo1.png', 'missing.png', 'photo2.png' -Separately -ResponseFormat b64_json -ErrorVariable problems -ErrorAction SilentlyContinue

        @($results).Count | Should -Be 2
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'TuZiImages.InvalidInput*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].TargetObject | Should -Be 'missing.png'
        $problems[0].ToString() | Should -BeLike '*missing.png*'
        (Get-TuZiTestRequest $script:server).Count | Should -Be 2
    }

    It 'takes a piped file with [ in its name by PSPath, and -LiteralPath as typed' {
        New-TestPng -Path (Join-Path (Get-Location).ProviderPath 'shot[1].png') -Shade 9 | Out-Null
        New-TestPng -Path (Join-Path (Get-Location).ProviderPath 'shot1.png') -Shade 8 | Out-Null

        Get-ChildItem -LiteralPath 'shot[1].png' | Edit-TuZiImage -Prompt 'fix' -ResponseFormat b64_json | Out-Null
        Edit-TuZiImage -Prompt 'fix' -LiteralPath 'shot[1].png' -ResponseFormat b64_json | Out-Null

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 2
        $requests | ForEach-Object { @($_.files).fileName | Should -Be 'shot[1].png' }
    }

    It 'names a wildcard that matches nothing and a path outside the file system, and goes on' {
        $results = Edit-TuZiImage -Prompt 'fix' -Path 'photo1.png', 'nothing*.png', 'Env:PATH' -Separately -ResponseFormat b64_json -ErrorVariable problems -ErrorAction SilentlyContinue

        @($results).Count | Should -Be 1
        $problems.Count | Should -Be 2
        $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'TuZiImages.InvalidInput*' }
        $problems.TargetObject | Should -Be @('nothing*.png', 'Env:PATH')
        (Get-TuZiTestRequest $script:server).Count | Should -Be 1
    }

    It 'asks once with -Confirm for the merged request, and sends nothing when answered No' {
        $testHost = New-RecordingHost
        $shell = New-TestShell -TestHost $testHost
        try {
            $null = $shell.AddScript("Get-ChildItem *.png | Edit-TuZiImage -Prompt 'merge' -Confirm").Invoke()
        }
        finally {
            Remove-TestShell $shell
        }

        (Get-TuZiTestRequest $script:server).Count | Should -Be 0
        $testHost.Recorder.Prompts.Count | Should -Be 1
        $testHost.Recorder.Prompts[0].Answer | Should -Be 'No'
        $testHost.Recorder.Prompts[0].Message | Should -BeLike '*photo1.png*'
        $testHost.Recorder.Prompts[0].Message | Should -BeLike '*photo3.png*'
    }

    It 'sends nothing with -WhatIf' {
        Get-ChildItem *.png | Edit-TuZiImage -Prompt 'merge' -WhatIf

        (Get-TuZiTestRequest $script:server).Count | Should -Be 0
        Get-ChildItem -Filter '*.png' | Should -HaveCount 3
    }
}

Describe 'New-TuZiImage' {
    BeforeEach {
        Reset-TuZiTestServer $script:server
        Push-Location TestDrive:
        Get-ChildItem | Remove-Item -Recurse -Force
    }
    AfterEach { Pop-Location }

    It 'makes one request per prompt read from a file, and saves into -OutDirectory' {
        'a red fox', 'a blue whale', 'a green frog' | Set-Content -Path prompts.txt

        $results = Get-Content prompts.txt | New-TuZiImage -AspectRatio 16:9 -Quality 4k -OutDirectory ./out

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 3
        ($requests | ForEach-Object { Get-TuZiTestField $_ 'prompt' } | Sort-Object) | Should -Be @('a blue whale', 'a green frog', 'a red fox')
        $requests | ForEach-Object { Get-TuZiTestField $_ 'size' } | Should -Be @('16x9', '16x9', '16x9')
        # Get-Content tags each line with the file's PSPath: it must not become a reference image.
        $requests | ForEach-Object { @($_.files).Count + @($_.imageUrls).Count } | Should -Be @(0, 0, 0)
        @($results).Count | Should -Be 3
        $results | ForEach-Object { $_.FullName | Should -Exist; $_.Width | Should -Be 4096; $_.Height | Should -Be 2304 }
        (Get-ChildItem ./out -File).Count | Should -Be 3
    }

    It 'binds prompts and settings from Import-Csv columns' {
        @'
Prompt,AspectRatio,Quality,Count,Model
a lighthouse,9:16,2k,2,gemini-3.1-flash-image-preview
a castle,1:1,low,1,gpt-image-1
'@ | Set-Content -Path jobs.csv

        $results = Import-Csv jobs.csv | New-TuZiImage -ResponseFormat b64_json

        $requests = Get-TuZiTestRequest $script:server
        $lighthouse = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a lighthouse' }
        Get-TuZiTestField $lighthouse 'size' | Should -Be '9x16'
        Get-TuZiTestField $lighthouse 'quality' | Should -Be '2k'
        Get-TuZiTestField $lighthouse 'n' | Should -Be '2'
        Get-TuZiTestField $lighthouse 'model' | Should -Be 'gemini-3.1-flash-image-preview'
        $castle = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a castle' }
        Get-TuZiTestField $castle 'model' | Should -Be 'gpt-image-1'
        @($results).Count | Should -Be 3
    }

    It 'reads an empty Import-Csv cell as not given, so Size and AspectRatio columns can share a file' {
        @'
Prompt,AspectRatio,Size,Quality,Model,OutFile
a lighthouse,9:16,,2k,,lighthouse.png
a castle,,1024x1536,,gpt-image-1,
'@ | Set-Content -Path jobs.csv

        $results = Import-Csv jobs.csv | New-TuZiImage -ResponseFormat b64_json

        $requests = Get-TuZiTestRequest $script:server
        $lighthouse = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a lighthouse' }
        Get-TuZiTestField $lighthouse 'size' | Should -Be '9x16'
        Get-TuZiTestField $lighthouse 'quality' | Should -Be '2k'
        $castle = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a castle' }
        Get-TuZiTestField $castle 'size' | Should -Be '1024x1536'
        Get-TuZiTestField $castle 'quality' | Should -BeNullOrEmpty
        Get-TuZiTestField $castle 'model' | Should -Be 'gpt-image-1'
        @($results).Count | Should -Be 2
        'lighthouse.png' | Should -Exist
    }

    It 'reads an empty Count cell as no count, so only some rows of a CSV need one, and still refuses a 0' {
        @'
Prompt,Count
a lighthouse,
a castle,2
a bridge,0
'@ | Set-Content -Path jobs.csv

        $results = Import-Csv jobs.csv | New-TuZiImage -ResponseFormat b64_json -OutDirectory ./out -ErrorVariable problems -ErrorAction SilentlyContinue

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 2
        $lighthouse = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a lighthouse' }
        Get-TuZiTestField $lighthouse 'n' | Should -BeNullOrEmpty
        $castle = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a castle' }
        Get-TuZiTestField $castle 'n' | Should -Be '2'
        @($results).Count | Should -Be 3
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'TuZiImages.InvalidInput*'
        $problems[0].ToString() | Should -BeLike '*image count 0 is outside 1-10*'

        New-TuZiImage 'a tower' -Count 0 -ResponseFormat b64_json -ErrorVariable typed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $typed[0].FullyQualifiedErrorId | Should -BeLike 'TuZiImages.InvalidInput*'
        (Get-TuZiTestRequest $script:server).Count | Should -Be 2
    }

    It 'does not take the Size of a piped file (its byte count, on Unix) as -Size' {
        1..2 | ForEach-Object { New-TestPng -Path (Join-Path (Get-Location).ProviderPath "ref$_.png") -Shade $_ } | Out-Null

        Get-ChildItem ref*.png | New-TuZiImage -Prompt 'a poster' -ResponseFormat b64_json | Out-Null
        Get-ChildItem ref*.png | New-TuZiImage -Prompt 'a wide poster' -AspectRatio 16:9 -ResponseFormat b64_json | Out-Null

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 2
        Get-TuZiTestField ($requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a poster' }) 'size' | Should -BeNullOrEmpty
        Get-TuZiTestField ($requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a wide poster' }) 'size' | Should -Be '16x9'
    }

    It 'puts every piped reference image into the one request of a command-line prompt' {
        1..2 | ForEach-Object { New-TestPng -Path (Join-Path (Get-Location).ProviderPath "ref$_.png") -Shade $_ } | Out-Null

        Get-ChildItem ref*.png | New-TuZiImage -Prompt 'a poster in this style' -ResponseFormat b64_json | Out-Null

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 1
        @($requests[0].files).Count | Should -Be 2
    }

    It 'pipes a new image into Edit-TuZiImage, Copy-Item and Get-Item' {
        $edited = New-TuZiImage 'a red fox' -OutDirectory out | Edit-TuZiImage -Prompt 'add snow' -OutDirectory out2

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 2
        $requests[1].path | Should -Be '/v1/images/edits'
        @($requests[1].files).Count | Should -Be 1
        $edited.FullName | Should -Exist

        $edited | Copy-Item -Destination copy.png
        'copy.png' | Should -Exist
        ($edited | Get-Item).FullName | Should -Be $edited.FullName
    }

    It 'keeps at most -ThrottleLimit requests in flight, and finishes every item' {
        Add-TuZiTestFault $script:server @{ delayMs = 200; times = 0 }

        $results = 1..6 | ForEach-Object { "picture $_" } | New-TuZiImage -ThrottleLimit 2 -ResponseFormat b64_json

        @($results).Count | Should -Be 6
        $stats = Invoke-RestMethod -Uri "$($script:server.ApiUri)/_control/stats"
        $stats.requests | Should -Be 6
        $stats.maxConcurrentRequests | Should -BeLessOrEqual 2
    }

    It 'emits URL results as URLs when no output location is given' {
        $result = New-TuZiImage 'a red fox'

        $result.Url | Should -BeLike "$($script:server.ResultUri)/*"
        $result.FullName | Should -BeNullOrEmpty
        (Get-ChildItem -File).Count | Should -Be 0
        (Get-TuZiTestDownload $script:server).Count | Should -Be 0
    }

    It 'never overwrites an existing file unless -Force is given' {
        Set-Content -Path keep.png -Value 'mine'

        { New-TuZiImage 'a red fox' -OutFile keep.png -ErrorAction Stop } | Should -Throw -ErrorId 'TuZiImages.InvalidInput*'
        Get-Content keep.png | Should -Be 'mine'
        (Get-TuZiTestRequest $script:server).Count | Should -Be 0

        $result = New-TuZiImage 'a red fox' -OutFile keep.png -Force
        $result.FullName | Should -Be (Join-Path (Get-Location).ProviderPath 'keep.png')
        Get-Content keep.png -Raw | Should -Not -Be "mine`n"
    }

    It 'sends nothing with -WhatIf' {
        New-TuZiImage 'a red fox' -OutDirectory out -WhatIf

        (Get-TuZiTestRequest $script:server).Count | Should -Be 0
        'out' | Should -Not -Exist
    }

    It 'writes a failing item as a non-terminating error and goes on with the others' {
        $results = 'first', 'second [fault:400]', 'third' | New-TuZiImage -ResponseFormat b64_json -ErrorVariable problems -ErrorAction SilentlyContinue

        ($results.Prompt | Sort-Object) | Should -Be @('first', 'third')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'TuZiImages.BadRequest*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].TargetObject | Should -Be 'second [fault:400]'
        $problems[0].ErrorDetails.Message | Should -Not -BeNullOrEmpty
    }

    It 'refuses bad input item by item without sending it' {
        $results = @(
            [pscustomobject]@{ Prompt = 'fine' }
            [pscustomobject]@{ Prompt = 'too many'; Count = 11 }
            [pscustomobject]@{ Prompt = 'odd ratio'; AspectRatio = 'wide' }
        ) | New-TuZiImage -ResponseFormat b64_json -ErrorVariable problems -ErrorAction SilentlyContinue

        @($results).Count | Should -Be 1
        $problems.Count | Should -Be 2
        (Get-TuZiTestRequest $script:server).Count | Should -Be 1
    }

    It 'honours $PSDefaultParameterValues for every TuZiImage cmdlet' {
        New-TestPng -Path (Join-Path (Get-Location).ProviderPath 'photo.png') | Out-Null
        $PSDefaultParameterValues['*-TuZiImage:Model'] = 'gpt-image-1'
        try {
            New-TuZiImage 'a red fox' -ResponseFormat b64_json | Out-Null
            Edit-TuZiImage -Prompt 'add snow' -Path photo.png -ResponseFormat b64_json | Out-Null
        }
        finally {
            $PSDefaultParameterValues.Remove('*-TuZiImage:Model')
        }

        (Get-TuZiTestRequest $script:server) | ForEach-Object { Get-TuZiTestField $_ 'model' } | Should -Be @('gpt-image-1', 'gpt-image-1')
    }

    It 'turns a failed request into a terminating error with -ErrorAction Stop' {
        { 'a [fault:401]' | New-TuZiImage -ResponseFormat b64_json -ErrorAction Stop } | Should -Throw -ErrorId 'TuZiImages.AuthenticationFailed*'
    }

    It 'says what it sends and receives with -Verbose' {
        $verbose = New-TuZiImage 'a red fox' -ResponseFormat b64_json -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        ($verbose.Message -join "`n") | Should -BeLike '*/v1/images/generations*'
        ($verbose.Message -join "`n") | Should -BeLike '*200*'
    }

    It 'streams a result down the pipeline while a later request still runs' {
        Add-TuZiTestFault $script:server @{ match = 'slow'; delayMs = 5000; times = 0 }

        # The next command gets the fast result while the slow request is not answered yet.
        # On a loaded machine the slow request may not even have reached the service yet; it is surely unanswered.
        # Get-TuZiTestRequest writes its list as one object: the parentheses make the pipeline go through each request.
        $seen = 'fast one', 'slow two' | New-TuZiImage -ResponseFormat b64_json | ForEach-Object {
            $slow = @((Get-TuZiTestRequest $script:server) | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'slow two' })
            [pscustomobject]@{ Prompt = $_.Prompt; SlowAnswered = @($slow | Where-Object outcome -ne 'pending').Count -gt 0 }
        }

        $seen[0].Prompt | Should -Be 'fast one'
        $seen[0].SlowAnswered | Should -BeFalse
        @($seen).Count | Should -Be 2
    }

    It 'stops with a terminating error that says how to fix a missing key' {
        $saved = $env:TUZI_API_KEY
        $env:TUZI_API_KEY = $null
        try {
            { 'a', 'b' | New-TuZiImage } | Should -Throw -ErrorId 'TuZiImages.InvalidConfiguration*' -ExpectedMessage '*TUZI_API_KEY*-ApiKey*'
        }
        finally {
            $env:TUZI_API_KEY = $saved
        }
        (Get-TuZiTestRequest $script:server).Count | Should -Be 0
    }

    It 'stops with a terminating error for a malformed -BaseUri' {
        { 'a', 'b' | New-TuZiImage -BaseUri 'ftp://images.example' } | Should -Throw -ErrorId 'TuZiImages.InvalidConfiguration*' -ExpectedMessage '*ftp://images.example*-BaseUri*'
        (Get-TuZiTestRequest $script:server).Count | Should -Be 0
    }

    It 'cancels requests in flight within a second when stopped, leaving no partial file' {
        Add-TuZiTestFault $script:server @{ match = 'slow'; delayMs = 30000; times = 0 }
        $folder = (Get-Location).ProviderPath
        $manifest = if ($env:TUZI_MODULE_PATH) { $env:TUZI_MODULE_PATH } else { Join-Path (Split-Path -Parent $PSScriptRoot) 'out/TuZiImages/TuZiImages.psd1' }
        $manifest = (Resolve-Path $manifest).ProviderPath
        # PowerShell.Stop() is what Ctrl+C calls: it runs StopProcessing on another thread.
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($ModulePath, $Folder)
                Import-Module $ModulePath
                Set-Location -LiteralPath $Folder
                'slow one', 'slow two', 'slow three' | New-TuZiImage -ResponseFormat b64_json -OutDirectory out
            }).AddArgument((Get-Module TuZiImages).Path).AddArgument($folder)
        try {
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ((Get-TuZiTestRequest $script:server).Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            (Get-TuZiTestRequest $script:server).Count | Should -Be 3

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1.5
            $running.IsCompleted | Should -BeTrue
        }
        finally {
            $shell.Dispose()
        }
        @(Get-ChildItem -LiteralPath $folder -Recurse -File -Force).Count | Should -Be 0
    }

    It 'cancels an answer that is streaming in within a second when stopped, leaving no partial file' {
        # The service sends the start of a 1 MB image, then stalls: the client is surely inside its read.
        Add-TuZiTestFault $script:server @{ payloadBytes = 1048576; stallMidBodyMs = 60000 }
        $folder = (Get-Location).ProviderPath
        $shell = New-TestShell
        try {
            $null = $shell.AddScript("New-TuZiImage 'a big one' -ResponseFormat b64_json -OutDirectory out")
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (@(Get-ChildItem -LiteralPath $folder -Recurse -File -Force).Count -eq 0 -and -not $running.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $running.IsCompleted | Should -BeFalse

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1.5
            $running.IsCompleted | Should -BeTrue
        }
        finally {
            Remove-TestShell $shell
        }
        # Never a file under a final name; the cancelled request removes its temporary file as it unwinds.
        Get-ChildItem -LiteralPath $folder -Recurse -File -Force | ForEach-Object { $_.Name | Should -BeLike '*.partial' }
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (@(Get-ChildItem -LiteralPath $folder -Recurse -File -Force).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        @(Get-ChildItem -LiteralPath $folder -Recurse -File -Force).Count | Should -Be 0
    }

    It 'writes progress of done of total, completed at the end' {
        $shell = New-TestShell
        try {
            $null = $shell.AddScript("'one', 'two', 'three' | New-TuZiImage -ResponseFormat b64_json").Invoke()
            $progress = @($shell.Streams.Progress)
        }
        finally {
            Remove-TestShell $shell
        }

        $progress.Count | Should -BeGreaterThan 0
        $progress | ForEach-Object { $_.Activity | Should -Be 'New-TuZiImage'; $_.StatusDescription | Should -Match '^\d+ of \d+ done' }
        $progress[-1].RecordType | Should -Be 'Completed'
        $progress[-1].StatusDescription | Should -BeLike '3 of 3 done*'
    }

    It 'asks with -Confirm and sends nothing when answered No; says what it would send with -WhatIf' {
        $testHost = New-RecordingHost
        $shell = New-TestShell -TestHost $testHost
        try {
            $null = $shell.AddScript("'a red fox', 'a blue whale' | New-TuZiImage -OutDirectory out -Confirm").Invoke()
            $shell.Commands.Clear()
            $null = $shell.AddScript("New-TuZiImage 'a green frog' -OutDirectory out -WhatIf").Invoke()
        }
        finally {
            Remove-TestShell $shell
        }

        (Get-TuZiTestRequest $script:server).Count | Should -Be 0
        'out' | Should -Not -Exist
        $testHost.Recorder.Prompts.Count | Should -Be 2
        $testHost.Recorder.Prompts | ForEach-Object { $_.Answer | Should -Be 'No' }
        ($testHost.Recorder.Prompts.Message -join "`n") | Should -BeLike '*a red fox*'
        $testHost.Recorder.Text | Should -BeLike '*What if:*a green frog*'
    }

    It 'takes -ApiKey as a plain string or a SecureString and sends it to the API only' {
        $secure = ConvertTo-SecureString 'sk-from-parameter' -AsPlainText -Force
        New-TuZiImage 'a red fox' -ApiKey $secure -OutDirectory out | Out-Null
        New-TuZiImage 'a red fox' -ApiKey 'sk-plain-parameter' -ResponseFormat b64_json | Out-Null

        $requests = Get-TuZiTestRequest $script:server
        $requests[0].headers.Authorization | Should -Be 'Bearer sk-from-parameter'
        $requests[1].headers.Authorization | Should -Be 'Bearer sk-plain-parameter'
        # One download per request; each one's own headers, not the list's properties, must lack the key.
        $downloads = Get-TuZiTestDownload $script:server
        $downloads.Count | Should -Be 1
        $downloads | ForEach-Object { $_.headers.PSObject.Properties.Name | Should -Not -Contain 'Authorization' }
    }
}

Describe 'gpt-image options, extra fields and the key''s models' {
    BeforeEach {
        Reset-TuZiTestServer $script:server
        Push-Location TestDrive:
        Get-ChildItem | Remove-Item -Recurse -Force
    }

    AfterEach {
        Pop-Location
    }

    It 'sends -AdditionalParameter values with their types and streams previews beside the image' {
        $result = New-TuZiImage 'a sticker' -Model gpt-image-1 -Background transparent -PartialImages 2 -OutFile sticker.png `
            -AdditionalParameter @{ seed = 42; watermark = $false; tags = @('a', 'b'); extra = @{ steps = 30 } }

        $body = (Get-TuZiTestRequest $script:server)[0].json | ConvertFrom-Json
        $body.seed | Should -BeOfType [long]
        $body.watermark | Should -BeFalse
        $body.tags | Should -Be @('a', 'b')
        $body.extra.steps | Should -Be 30
        $body.stream | Should -BeTrue
        @($result.Previews | ForEach-Object { Split-Path -Leaf $_ }) | Should -Be @('sticker.partial-1.png', 'sticker.partial-2.png')
        $result.Usage.TotalTokens | Should -BeGreaterThan 0
    }

    It 'lists the key''s models, filters them by wildcard, and then completes -Model with them' {
        @(Get-TuZiModel).Id | Should -Contain 'deepseek-v3'
        @(Get-TuZiModel 'gpt-image*').Id | Should -Be @('gpt-image-1', 'gpt-image-1.5')

        $line = "New-TuZiImage 'a fox' -Model deep"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'deepseek-v3'
    }

    It 'refuses an Authorization header before sending anything' {
        { New-TuZiImage 'a fox' -Header @{ Authorization = 'Bearer sk-other' } -ErrorAction Stop } | Should -Throw '*-ApiKey*'
        (Get-TuZiTestRequest $script:server).Count | Should -Be 0
    }
}

Describe 'Batches against a rate-limited service, and re-runs' {
    BeforeEach {
        Reset-TuZiTestServer $script:server
        Push-Location TestDrive:
        Get-ChildItem | Remove-Item -Recurse -Force
    }

    AfterEach {
        Pop-Location
    }

    It 'loses nothing to a service that admits fewer requests at once than -ThrottleLimit' {
        $uri = $script:server.ApiUri
        $null = Invoke-RestMethod -Method Post -Uri "$uri/_control/ratelimit" -ContentType 'application/json' -Body '{"admitAtOnce":2,"retryAfterMs":100}'
        try {
            # A key of its own: what the module learns about a service is shared per address and key in the process.
            $key = 'sk-pester-limited-' + [guid]::NewGuid().ToString('N')
            # 16 prompts: the first round alone, 8 sent into room for 2, can draw 6 refusals or more.
            $output = 1..16 | ForEach-Object { "limited prompt $_" } | New-TuZiImage -ApiKey $key -ThrottleLimit 8 -ResponseFormat b64_json -Verbose 4>&1
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri "$uri/_control/ratelimit" -ContentType 'application/json' -Body '{}'
        }

        $results = @($output | Where-Object { $_ -is [TuZiImages.Core.TuZiImageResult] })
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $results.Count | Should -Be 16
        $stats = Invoke-RestMethod -Uri "$uri/_control/stats"
        $stats.maxAdmittedRequests | Should -BeLessOrEqual 2
        $stats.rateLimited | Should -BeLessThan 16
        ($verbose.Message -like 'Concurrency: *').Count | Should -BeGreaterThan 0
    }

    It 'sends only what is missing with -SkipExisting, and emits the whole set' {
        'a red fox', 'a blue whale' | New-TuZiImage -OutDirectory out -ResponseFormat b64_json | Out-Null
        Get-ChildItem out -File | Select-Object -First 1 | Remove-Item
        Reset-TuZiTestServer $script:server

        $results = 'a red fox', 'a blue whale' | New-TuZiImage -OutDirectory out -ResponseFormat b64_json -SkipExisting

        (Get-TuZiTestRequest $script:server).Count | Should -Be 1
        @($results).Count | Should -Be 2
        @($results | Where-Object Skipped).Count | Should -Be 1
        ($results | Where-Object Skipped).Attempts | Should -Be 0
        (Get-ChildItem out -File).Count | Should -Be 2
    }

    It 'refuses -SkipExisting together with -Force' {
        { New-TuZiImage 'a red fox' -SkipExisting -Force } | Should -Throw '*contradict*'
        (Get-TuZiTestRequest $script:server).Count | Should -Be 0
    }
}

Describe 'The first minute: manifest, help, completion, formatting' {
    It 'has a manifest that passes Test-ModuleManifest and exports exactly the three cmdlets' {
        $manifest = Test-ModuleManifest -Path (Join-Path (Get-Module TuZiImages).ModuleBase 'TuZiImages.psd1')
        $manifest.ExportedCmdlets.Keys | Sort-Object | Should -Be @('Edit-TuZiImage', 'Get-TuZiModel', 'New-TuZiImage')
        $manifest.ExportedFunctions.Count | Should -Be 0
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        (Get-Command -Module TuZiImages).Name | Sort-Object | Should -Be @('Edit-TuZiImage', 'Get-TuZiModel', 'New-TuZiImage')
    }

    It 'shows full help for <Name>' -ForEach @(@{ Name = 'New-TuZiImage' }, @{ Name = 'Edit-TuZiImage' }) {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name*"   # a synopsis of only the syntax means no help was found
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 4
        $help.Parameters.Parameter | Where-Object name -eq 'Prompt' | ForEach-Object { $_.Description.Text | Should -Not -BeNullOrEmpty }
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $documented = @($help.Parameters.Parameter | Where-Object { ($_.Description | ForEach-Object Text) -join '' } | ForEach-Object Name)
        (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common -and $_ -notin $documented } | Should -BeNullOrEmpty
        (Get-Help about_TuZiImages | Out-String) | Should -BeLike '*TUZI_API_KEY*'
    }

    It 'completes <Command> -<Parameter> values with Tab' -ForEach @(
        @{ Command = "New-TuZiImage 'a fox'"; Parameter = 'Model'; Typed = 'gemini-3-p'; Expected = 'gemini-3-pro-image-preview' }
        @{ Command = "New-TuZiImage 'a fox'"; Parameter = 'AspectRatio'; Typed = '16'; Expected = "'16:9'" }
        @{ Command = "New-TuZiImage 'a fox'"; Parameter = 'Quality'; Typed = '4'; Expected = '4k' }
        @{ Command = "New-TuZiImage 'a fox'"; Parameter = 'Size'; Typed = '1024x15'; Expected = '1024x1536' }
        @{ Command = "New-TuZiImage 'a fox'"; Parameter = 'ResponseFormat'; Typed = 'b'; Expected = 'b64_json' }
        @{ Command = "Edit-TuZiImage 'fix' x.png"; Parameter = 'Model'; Typed = 'gpt-image'; Expected = 'gpt-image-1' }
        @{ Command = "Edit-TuZiImage 'fix' x.png"; Parameter = 'AspectRatio'; Typed = '9:'; Expected = "'9:16'" }
    ) {
        $line = "$Command -$Parameter $Typed"
        $completions = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completions.CompletionMatches.CompletionText | Should -Contain $Expected
    }

    It 'shows a result as a table of index, name, size, model and elapsed time' {
        Reset-TuZiTestServer $script:server
        Push-Location TestDrive:
        try {
            $table = New-TuZiImage 'a red fox' -AspectRatio 16:9 -OutDirectory out | Out-String -Width 160
        }
        finally {
            Pop-Location
        }
        $table | Should -Match 'Index\s+Size\s+Elapsed\s+Model\s+Name'
        $table | Should -Match '1\s+1024x576\s+\d+\.\d s\s+gemini-3-pro-image-preview\s+a-red-fox-[0-9a-f]{8}\.png'
    }
}

Describe 'The API key' {
    BeforeEach {
        Reset-TuZiTestServer $script:server
        Push-Location TestDrive:
        Get-ChildItem | Remove-Item -Recurse -Force
    }
    AfterEach { Pop-Location }

    It 'never appears in any stream, even when the server echoes it' {
        Add-TuZiTestFault $script:server @{ match = 'echo'; status = 401; echoApiKey = $true; times = 0 }
        $DebugPreference = 'Continue'
        $VerbosePreference = 'Continue'

        $everything = & {
            New-TuZiImage 'a red fox' -OutDirectory out -Verbose -Debug
            New-TuZiImage 'echo my key' -Verbose -Debug -ErrorAction Continue
            'x [fault:503]' | New-TuZiImage -MaxRetryCount 1 -Verbose -Debug -ErrorAction Continue
        } *>&1 2>&1

        $errors = @($everything | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 2
        $text = ($everything | Out-String) + ($everything | Format-List * -Force | Out-String) +
            ($errors | ForEach-Object { $_.Exception.ToString() + $_.ErrorDetails.Message + $_.ErrorDetails.RecommendedAction }) -join "`n"
        $text | Should -Not -BeLike "*$($script:apiKey)*"
        $text | Should -BeLike '*HTTP 401*'
        $requests = Get-TuZiTestRequest $script:server
        ($requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'echo my key' }).headers.Authorization |
            Should -Be "Bearer $($script:apiKey)"
        Get-ChildItem -Recurse -File | ForEach-Object { [System.IO.File]::ReadAllText($_.FullName) | Should -Not -BeLike "*$($script:apiKey)*" }
    }
}

# Where Windows PowerShell exists (a Windows CI with pwsh), the 5.1 promise is tested for real in a child
# powershell.exe: import, a request whose JSON needs System.Text.Json and System.Memory (the assemblies whose
# strong-named references only the module's resolver can bind), a URL download, and Remove-Module/Import-Module.
BeforeDiscovery {
    $windowsPowerShell = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
        Get-Command powershell.exe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    }
}

Describe 'Windows PowerShell 5.1' -Skip:(-not $windowsPowerShell) {
    BeforeEach {
        Reset-TuZiTestServer $script:server
        Push-Location TestDrive:
        Get-ChildItem | Remove-Item -Recurse -Force
    }
    AfterEach { Pop-Location }

    It 'imports the module, makes and downloads images, and survives Remove-Module' {
        $powershell = (Get-Command powershell.exe -CommandType Application | Select-Object -First 1).Source
        $folder = (Get-Location).ProviderPath
        $manifest = if ($env:TUZI_MODULE_PATH) { $env:TUZI_MODULE_PATH } else { Join-Path (Split-Path -Parent $PSScriptRoot) 'out/TuZiImages/TuZiImages.psd1' }
        $manifest = (Resolve-Path $manifest).ProviderPath
        # The child inherits TUZI_API_KEY and TUZI_BASE_URL from this process.
        $child = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
`$saved = New-TuZiImage -Prompt 'a red fox' -ResponseFormat b64_json -OutDirectory '$folder'
`$downloaded = New-TuZiImage -Prompt 'a grey wolf' -ResponseFormat url -OutDirectory '$folder'
Remove-Module TuZiImages
Import-Module '$manifest'
`$again = New-TuZiImage -Prompt 'a brown bear' -ResponseFormat b64_json -OutDirectory '$folder'
'edition=' + `$PSVersionTable.PSEdition
'files=' + ((`$saved, `$downloaded, `$again | ForEach-Object { Split-Path -Leaf `$_.FullName }) -join ',')
"@
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($child))

        $output = & $powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand $encoded 2>&1 | Out-String

        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -Match 'edition=Desktop'
        $output | Should -Match 'files=a-red-fox-[^,]+,a-grey-wolf-[^,]+,a-brown-bear-'
        (Get-TuZiTestRequest $script:server).Count | Should -Be 3
        @(Get-ChildItem -File).Count | Should -Be 3
    }
}
