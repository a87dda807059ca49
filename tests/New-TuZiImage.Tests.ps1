#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# New-TuZiImage in a real pwsh, with what only a real pwsh has: Get-Content's, Import-Csv's and Get-ChildItem's
# own objects, Copy-Item and Get-Item downstream, and ForEach-Object -Parallel and Start-ThreadJob runspaces.
# Everything else about the cmdlet (sizes, validation, the table, help, Tab) is in the engine tests, once.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')
}

AfterAll {
    Complete-TuZiTestFile
}

Describe 'New-TuZiImage with the real pipeline cmdlets' {
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach { Pop-Location }

    It 'makes one request per line that Get-Content reads, and no reference image of the file it came from' {
        'a red fox', 'a blue whale', 'a green frog' | Set-Content -Path prompts.txt

        # The README's own example, as written there.
        $results = Get-Content prompts.txt | New-TuZiImage -AspectRatio 16:9 -Quality 4k -OutDirectory ./out

        $requests = Get-TuZiTestRequest $script:server
        ($requests | ForEach-Object { Get-TuZiTestField $_ 'prompt' } | Sort-Object) | Should -Be @('a blue whale', 'a green frog', 'a red fox')
        # Get-Content tags each line with the file's PSPath: it must not become a reference image.
        $requests | ForEach-Object { @($_.files).Count + @($_.imageUrls).Count } | Should -Be @(0, 0, 0)
        @($results).Count | Should -Be 3
        $results | ForEach-Object { $_.FullName | Should -Exist; $_.Width | Should -Be 4096; $_.Height | Should -Be 2304 }
    }

    It 'binds Import-Csv columns by name, all strings, and an empty cell as not given' {
        @'
Prompt,AspectRatio,Size,Quality,Count,Model,OutFile
a lighthouse,9:16,,2k,2,gemini-3.1-flash-image-preview,lighthouse.png
a castle,,1024x1536,,,gpt-image-1,castle.png
a bridge,,,,,,
'@ | Set-Content -Path jobs.csv

        $results = Import-Csv jobs.csv | New-TuZiImage -ResponseFormat b64_json

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 3
        $lighthouse = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a lighthouse' }
        Get-TuZiTestField $lighthouse 'size' | Should -Be '9x16'
        Get-TuZiTestField $lighthouse 'quality' | Should -Be '2k'
        Get-TuZiTestField $lighthouse 'n' | Should -Be '2'
        Get-TuZiTestField $lighthouse 'model' | Should -Be 'gemini-3.1-flash-image-preview'
        $castle = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a castle' }
        Get-TuZiTestField $castle 'size' | Should -Be '1024x1536'
        Get-TuZiTestField $castle 'quality' | Should -BeNullOrEmpty
        Get-TuZiTestField $castle 'n' | Should -BeNullOrEmpty
        Get-TuZiTestField $castle 'model' | Should -Be 'gpt-image-1'
        # A row of empty cells sets nothing: the module's default model, no size.
        $bridge = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a bridge' }
        Get-TuZiTestField $bridge 'model' | Should -Not -BeNullOrEmpty
        Get-TuZiTestField $bridge 'size' | Should -BeNullOrEmpty
        @($results).Count | Should -Be 4
        'lighthouse-1.png', 'lighthouse-2.png', 'castle.png' | Should -Exist
    }

    It 'puts the files Get-ChildItem pipes into one request as references, and never binds their Size to -Size' {
        1..2 | ForEach-Object { New-TestPng -Path (Join-Path (Get-Location).ProviderPath "ref$_.png") -Shade $_ } | Out-Null
        # On Unix, pwsh gives a FileInfo a Size property (its byte count).
        Get-ChildItem ref*.png | New-TuZiImage -Prompt 'a poster' -ResponseFormat b64_json | Out-Null
        Get-ChildItem ref*.png | New-TuZiImage -Prompt 'a wide poster' -AspectRatio 16:9 -ResponseFormat b64_json | Out-Null

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 2
        $requests | ForEach-Object { @($_.files).Count | Should -Be 2 }
        Get-TuZiTestField ($requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a poster' }) 'size' | Should -BeNullOrEmpty
        Get-TuZiTestField ($requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a wide poster' }) 'size' | Should -Be '16x9'
    }

    It 'gives results the real ConvertTo-Json writes without a depth warning and Export-Csv writes with paths, not type names' {
        New-TestPng -Path (Join-Path (Get-Location).ProviderPath 'ref.png') | Out-Null
        # gpt-image: usage, a preview; a reference image: InputImages.
        $result = New-TuZiImage 'a fox sticker' -ReferenceImage ref.png -Model gpt-image-1 -PartialImages 1 -ResponseFormat b64_json -OutDirectory out

        $json = $result | ConvertTo-Json -WarningVariable depthWarnings
        $result | Export-Csv -Path results.csv
        $row = Import-Csv results.csv

        $depthWarnings | Should -BeNullOrEmpty
        ($json | ConvertFrom-Json).FullName | Should -Be $result.FullName
        ($json | ConvertFrom-Json).Previews | Should -Be @($result.Previews)
        $row.InputImages | Should -Be (Join-Path (Get-Location).ProviderPath 'ref.png')
        $row.Previews | Should -Be $result.Previews[0]
        $row.Name | Should -Be (Split-Path -Leaf $result.FullName)
        Get-Content results.csv -Raw | Should -Not -Match 'System\.String\[\]|System\.IO\.FileInfo'
        # The FileInfo is still there for scripts, and the result still pipes on by PSPath.
        $result.File | Should -BeOfType ([System.IO.FileInfo])
        ($result | Get-Item).FullName | Should -Be $result.FullName
    }

    It 'hands its results to the real Copy-Item and Get-Item, which bind them by PSPath' {
        $result = New-TuZiImage 'a red fox' -ResponseFormat b64_json -OutDirectory out

        $result | Copy-Item -Destination copy.png
        'copy.png' | Should -Exist
        (Get-FileHash copy.png).Hash | Should -Be (Get-FileHash $result.FullName).Hash
        ($result | Get-Item).FullName | Should -Be $result.FullName
    }
}

Describe 'New-TuZiImage in runspaces of its own' {
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach { Pop-Location }

    It 'runs in a Start-ThreadJob, writing results, errors and verbose lines to the job' {
        $folder = (Get-Location).ProviderPath
        $job = Start-ThreadJob {
            Import-Module $using:modulePath
            Set-Location -LiteralPath $using:folder
            'first', 'second [fault:400]', 'third' | New-TuZiImage -ResponseFormat b64_json -OutDirectory out -Verbose
        }
        $null = $job | Wait-Job -Timeout 120
        # Receive-Job hands the job's verbose lines on to this session's stream, where they are off: read them first.
        $verbose = @($job.Verbose)
        $results = $job | Receive-Job -ErrorVariable problems -ErrorAction SilentlyContinue

        $job.State | Should -Be 'Completed'
        ($results.Prompt | Sort-Object) | Should -Be @('first', 'third')
        $results | ForEach-Object { $_ | Should -BeOfType ([TuZiImages.Core.TuZiImageResult]); $_.FullName | Should -Exist }
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'TuZiImages.BadRequest*'
        ($verbose.Message -join "`n") | Should -BeLike '*/v1/images/generations*'
        $job | Remove-Job
    }

    It 'shares what one runspace learned of the service''s limits with ForEach-Object -Parallel runspaces' {
        $uri = $script:server.ApiUri
        # A key of its own: the module keeps one view of a service per address and key, for the whole process.
        $key = 'sk-pester-limited-' + [guid]::NewGuid().ToString('N')
        $null = Invoke-RestMethod -Method Post -Uri "$uri/_control/ratelimit" -ContentType 'application/json' -Body '{"admitAtOnce":0,"retryAfter":"5"}'
        try {
            # Refused with Retry-After: 5, and given up at once (the pause outlasts a 1 s patience).
            New-TuZiImage 'refused' -ApiKey $key -RateLimitPatienceSec 1 -ResponseFormat b64_json -ErrorVariable refusal -ErrorAction SilentlyContinue
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri "$uri/_control/ratelimit" -ContentType 'application/json' -Body '{}'
        }
        $refusal.Count | Should -Be 1

        $folder = (Get-Location).ProviderPath
        $results = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:modulePath
            New-TuZiImage "parallel $_" -ApiKey $using:key -ResponseFormat b64_json -OutDirectory $using:folder
        }

        @($results).Count | Should -Be 3
        $requests = Get-TuZiTestRequest $script:server
        $refusedAt = ($requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'refused' }).receivedAt | ForEach-Object { [DateTimeOffset]$_ }
        $parallel = @($requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -like 'parallel *' })
        $parallel.Count | Should -Be 3
        # Each runspace waited out the pause that the first one was told of, instead of sending at once. A lower
        # bound on the server's own clock: a slow machine only widens the gap, so it cannot fail for slowness.
        $parallel | ForEach-Object { ([DateTimeOffset]$_.receivedAt - $refusedAt).TotalSeconds | Should -BeGreaterThan 4.5 }
    }
}

Describe 'New-TuZiImage in separate pwsh processes on one key' {
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach { Pop-Location }

    It 'gets every image through one limiter from three processes, sharing a view of the limit that holds no key' {
        $uri = $script:server.ApiUri
        $key = 'sk-pester-shared-' + [guid]::NewGuid().ToString('N')
        $folder = (Get-Location).ProviderPath
        # The processes' per-user folder for shared views, here a folder of the test's own (every platform's variable).
        $views = (New-Item -ItemType Directory -Path (Join-Path $folder 'views')).FullName
        $saved = @{}
        foreach ($name in 'XDG_RUNTIME_DIR', 'TMPDIR', 'TMP', 'TEMP') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        Add-TuZiTestFault $script:server @{ delayMs = 300; times = 0 }
        $null = Invoke-RestMethod -Method Post -Uri "$uri/_control/ratelimit" -ContentType 'application/json' -Body '{"admitAtOnce":2,"newApi":true}'
        try {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $views) }
            # Start-Job runs each in a pwsh process of its own, which inherits this one's environment (TestDrive: it has not).
            $jobs = 0..2 | ForEach-Object {
                Start-Job -WorkingDirectory $folder -ArgumentList $script:modulePath, $key, $folder, $_ {
                    param($module, $key, $folder, $index)
                    Import-Module $module -ErrorAction Stop
                    0..3 | ForEach-Object { "process $index prompt $_" } |
                        New-TuZiImage -ApiKey $key -ThrottleLimit 3 -ResponseFormat b64_json -OutDirectory (Join-Path $folder "p$index")
                }
            }
            $null = $jobs | Wait-Job -Timeout 120
            $results = @($jobs | Receive-Job -ErrorVariable problems -ErrorAction SilentlyContinue)
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            $null = Invoke-RestMethod -Method Post -Uri "$uri/_control/ratelimit" -ContentType 'application/json' -Body '{}'
        }

        $jobs.State | Should -Be @('Completed', 'Completed', 'Completed')
        $problems.Count | Should -Be 0
        $results.Count | Should -Be 12
        $results | ForEach-Object { $_.FullName | Should -Exist }
        $requests = Get-TuZiTestRequest $script:server
        # Each prompt admitted once; the rest of the requests were the limiter's 429s.
        @($requests | Where-Object { $_.outcome -ne '429' }).Count | Should -Be 12
        $viewFiles = @(Get-ChildItem -LiteralPath $views -Recurse -File -Filter *.json)
        $viewFiles.Count | Should -Be 1
        Get-Content -Raw -LiteralPath $viewFiles[0].FullName | Should -Not -BeLike "*$key*"
        $jobs | Remove-Job
    }
}
