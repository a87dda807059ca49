#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Receive-TuZiImage and the async models' task API in a real pwsh: a task survives its pwsh process being killed
# mid-poll, and the error records of pending tasks pipe into Receive-TuZiImage through -ErrorVariable. Everything
# else about the task route is in the engine tests.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')

    # Polls every 5 s by default, as the service's own client does; these tests wait on tasks of a few seconds.
    $script:pollInterval = [TuZiImages.Core.TuZiClientOptions].GetProperty('DefaultTaskPollInterval', [System.Reflection.BindingFlags]'NonPublic, Static')
    $script:savedPollInterval = $script:pollInterval.GetValue($null)
    $script:pollInterval.SetValue($null, [TimeSpan]::FromMilliseconds(100))

    function Get-TuZiTestTasks {
        Invoke-RestMethod -Uri "$($script:server.ApiUri)/_control/tasks"
    }

    # Tasks from now on work until the test opens the hold (Open-TuZiTestHold), or for a second without one.
    function Set-TuZiTestTaskMode {
        param([string] $Hold)
        $body = @{ durationMs = if ($Hold) { 0 } else { 1000 }; queuedMs = 0; inProgressWord = 'in_progress'; hold = $Hold } | ConvertTo-Json -Compress
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
        Set-TuZiTestTaskMode
    }

    It 'picks up the task of a pwsh process killed mid-poll with -SkipExisting, and never submits it again' {
        # The task works until the test opens its hold: the child is surely still polling when it is killed.
        Set-TuZiTestTaskMode -Hold 'killed'
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
            # Polled once: the task id is in the journal, which is written before the first poll.
            $said = { "it said: $(Get-Content -Raw (Join-Path $here 'child.err') -ErrorAction SilentlyContinue)" }
            try { Wait-TuZiTestHold $script:server -Name 'killed' } catch { throw "The child never polled its task; $(& $said)" }
            $child.HasExited | Should -BeFalse -Because "the child should still be waiting on its task; $(& $said)"
        }
        finally {
            $child.Kill()
            $child.WaitForExit()
        }
        (Get-TuZiTestTasks).submissions | Should -Be ($submittedBefore + 1)
        @(Get-ChildItem -LiteralPath $out -Filter '.tuzi-task-*' -Force).Count | Should -Be 1
        Open-TuZiTestHold $script:server -Name 'killed'

        $result = New-TuZiImage 'a fox that outlives its shell' -Model mj-imagine -OutDirectory $out -SkipExisting

        (Get-TuZiTestTasks).submissions | Should -Be ($submittedBefore + 1)
        $result.TaskId | Should -Not -BeNullOrEmpty
        $result.FullName | Should -Exist
        @(Get-ChildItem -LiteralPath $out -Filter '.tuzi-task-*' -Force).Count | Should -Be 0
    }

    It 'takes the error records of tasks still pending from -ErrorVariable, and saves each once' {
        # Working until the hold opens: -TaskTimeoutSec 1 surely ends first.
        Set-TuZiTestTaskMode -Hold 'pending'

        'an owl', 'a heron' | New-TuZiImage -Model mj-imagine -OutDirectory out -TaskTimeoutSec 1 -ErrorVariable pending -ErrorAction SilentlyContinue
        Open-TuZiTestHold $script:server -Name 'pending'

        $pending.Count | Should -Be 2
        $pending | ForEach-Object { $_.TaskId | Should -Not -BeNullOrEmpty }
        $results = $pending | Receive-TuZiImage -OutDirectory out

        @($results).Count | Should -Be 2
        ($results.Prompt | Sort-Object) | Should -Be @('a heron', 'an owl')
        $results | ForEach-Object { $_.FullName | Should -Exist }
        (Get-TuZiTestTasks).tasks | Where-Object { $_.prompt -in 'an owl', 'a heron' } | Should -HaveCount 2
    }
}
