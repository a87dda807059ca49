#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Receive-TuZiImage and the async models' task API in a real pwsh: a task survives its pwsh process being killed
# mid-poll, the error records of pending tasks pipe into Receive-TuZiImage through -ErrorVariable, and help as
# the host renders it. Everything else about the task route is in the engine tests.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')

    # Polls every 5 s by default, as the service's own client does; these tests wait on tasks of a few seconds.
    $script:pollInterval = [TuZiImages.Core.TuZiClientOptions].GetProperty('DefaultTaskPollInterval', [System.Reflection.BindingFlags]'NonPublic, Static')
    $script:savedPollInterval = $script:pollInterval.GetValue($null)
    $script:pollInterval.SetValue($null, [TimeSpan]::FromMilliseconds(100))

    function Get-TuZiTestTasks {
        Invoke-RestMethod -Uri "$($script:server.ApiUri)/_control/tasks"
    }

    function Set-TuZiTestTaskDuration {
        param([int] $Milliseconds)
        $body = @{ durationMs = $Milliseconds; queuedMs = 0; inProgressWord = 'in_progress' } | ConvertTo-Json -Compress
        $null = Invoke-RestMethod -Method Post -Uri "$($script:server.ApiUri)/_control/tasks" -ContentType 'application/json' -Body $body
    }
}

AfterAll {
    $script:pollInterval.SetValue($null, $script:savedPollInterval)
    Complete-TuZiTestFile
}

Describe 'The task API across pwsh processes' {
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach {
        Pop-Location
        Set-TuZiTestTaskDuration 1000
    }

    It 'picks up the task of a pwsh process killed mid-poll with -SkipExisting, and never submits it again' {
        Set-TuZiTestTaskDuration 6000
        $out = Join-Path (Get-Location).ProviderPath 'out'
        $submittedBefore = (Get-TuZiTestTasks).submissions
        # A pwsh of its own, as a runbook would be, killed (not stopped) while it polls: no finally block runs there.
        $script = "Import-Module '$($script:modulePath)'; New-TuZiImage 'a fox that outlives its shell' -Model mj-imagine -OutDirectory '$out'"
        # This pwsh may be the pinned dotnet tool, which runs as 'dotnet pwsh.dll'.
        $pwsh = [Environment]::ProcessPath
        $arguments = @('-NoProfile', '-NonInteractive', '-Command', "`"$script`"")
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
            $arguments = @("`"$(Join-Path $PSHOME 'pwsh.dll')`"") + $arguments
        }
        $here = (Get-Location).ProviderPath
        $child = Start-Process -FilePath $pwsh -ArgumentList $arguments -PassThru `
            -RedirectStandardOutput (Join-Path $here 'child.out') -RedirectStandardError (Join-Path $here 'child.err')
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Get-ChildItem -LiteralPath $out -Filter '.tuzi-task-*' -Force -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline -and -not $child.HasExited) {
                Start-Sleep -Milliseconds 100
            }
            $child.HasExited | Should -BeFalse -Because "the child should still be waiting on its task; it said: $(Get-Content -Raw (Join-Path $here 'child.err') -ErrorAction SilentlyContinue)"
        }
        finally {
            $child.Kill()
            $child.WaitForExit()
        }
        (Get-TuZiTestTasks).submissions | Should -Be ($submittedBefore + 1)
        @(Get-ChildItem -LiteralPath $out -Filter '.tuzi-task-*' -Force).Count | Should -Be 1

        $result = New-TuZiImage 'a fox that outlives its shell' -Model mj-imagine -OutDirectory $out -SkipExisting

        (Get-TuZiTestTasks).submissions | Should -Be ($submittedBefore + 1)
        $result.TaskId | Should -Not -BeNullOrEmpty
        $result.FullName | Should -Exist
        @(Get-ChildItem -LiteralPath $out -Filter '.tuzi-task-*' -Force).Count | Should -Be 0
    }

    It 'takes the error records of tasks still pending from -ErrorVariable, and saves each once' {
        Set-TuZiTestTaskDuration 3000

        'an owl', 'a heron' | New-TuZiImage -Model mj-imagine -OutDirectory out -TaskTimeoutSec 1 -ErrorVariable pending -ErrorAction SilentlyContinue

        $pending.Count | Should -Be 2
        $pending | ForEach-Object { $_.TaskId | Should -Not -BeNullOrEmpty }
        $results = $pending | Receive-TuZiImage -OutDirectory out

        @($results).Count | Should -Be 2
        ($results.Prompt | Sort-Object) | Should -Be @('a heron', 'an owl')
        $results | ForEach-Object { $_.FullName | Should -Exist }
        (Get-TuZiTestTasks).tasks | Where-Object { $_.prompt -in 'an owl', 'a heron' } | Should -HaveCount 2
    }

    It 'shows full help with examples and every parameter described' {
        Assert-RenderedHelp Receive-TuZiImage
    }
}
