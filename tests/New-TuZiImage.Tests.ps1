#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# New-TuZiImage in a real pwsh, with what only a real pwsh has: Get-Content's, Import-Csv's and Get-ChildItem's
# own objects, Copy-Item and Get-Item downstream, ForEach-Object -Parallel and Start-ThreadJob runspaces, the table
# and help as the host renders them, and Tab. Everything else about the cmdlet is in the engine tests.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')
}

AfterAll {
    Complete-TuZiTestFile
}

Describe 'New-TuZiImage with the real pipeline cmdlets' {
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach { Pop-Location }

    It 'makes one request per line that Get-Content reads, and saves into -OutDirectory' {
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

    It 'binds Import-Csv columns by name, an empty cell as not given, and refuses a row of Count 0 alone' {
        @'
Prompt,AspectRatio,Size,Quality,Count,Model,OutFile
a lighthouse,9:16,,2k,2,gemini-3.1-flash-image-preview,
a castle,,1024x1536,,,gpt-image-1,castle.png
a bridge,,,,0,,
'@ | Set-Content -Path jobs.csv

        $results = Import-Csv jobs.csv | New-TuZiImage -ResponseFormat b64_json -ErrorVariable problems -ErrorAction SilentlyContinue

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 2
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
        @($results).Count | Should -Be 3
        'castle.png' | Should -Exist
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'TuZiImages.InvalidInput*'
        $problems[0].ToString() | Should -BeLike '*image count 0 is outside 1-10*'
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

    It 'pipes a new image into Edit-TuZiImage, and on into Copy-Item and Get-Item' {
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
        # Each runspace waited out the pause that the first one was told of, instead of sending at once.
        $parallel | ForEach-Object { ([DateTimeOffset]$_.receivedAt - $refusedAt).TotalSeconds | Should -BeGreaterThan 4.5 }
    }
}

Describe 'New-TuZiImage as the host shows it' {
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach { Pop-Location }

    It 'shows a result as a table of index, size, elapsed time, model and name' {
        $table = New-TuZiImage 'a red fox' -AspectRatio 16:9 -OutDirectory out | Out-String -Width 160

        $table | Should -Match 'Index\s+Size\s+Elapsed\s+Model\s+Name'
        $table | Should -Match '1\s+1024x576\s+\d+\.\d s\s+gemini-3-pro-image-preview\s+a-red-fox-[0-9a-f]{8}\.png'
    }

    It 'shows full help with examples and every parameter described' {
        Assert-RenderedHelp New-TuZiImage
    }

    It 'completes -<Parameter> with Tab' -ForEach @(
        @{ Parameter = 'Model'; Typed = 'gemini-3-p'; Expected = 'gemini-3-pro-image-preview' }
        @{ Parameter = 'AspectRatio'; Typed = '16'; Expected = "'16:9'" }
        @{ Parameter = 'Quality'; Typed = '4'; Expected = '4k' }
        @{ Parameter = 'Size'; Typed = '1024x15'; Expected = '1024x1536' }
    ) {
        Get-TabCompletion "New-TuZiImage 'a fox' -$Parameter $Typed" | Should -Contain $Expected
    }
}
