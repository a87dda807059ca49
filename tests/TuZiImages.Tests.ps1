#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as a whole in a real pwsh process: its import into a fresh process, Remove-Module and Import-Module
# again (with Tab in this host after it), and, where Windows PowerShell exists, the same in powershell.exe. The
# manifest's own checks (Test-ModuleManifest, editions), help and the about topic are in the engine tests.
# Each cmdlet has a file of its own (tests/<cmdlet>.Tests.ps1); tests/Invoke-PesterSuite.ps1 runs them all.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')
}

AfterAll {
    Complete-TuZiTestFile
}

Describe 'The module in a fresh pwsh' {
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach { Pop-Location }

    It 'imports into this fresh process with exactly the cmdlets its manifest exports, from its own folder' {
        $exported = @((Import-PowerShellDataFile -LiteralPath $script:modulePath).CmdletsToExport | Sort-Object)

        $exported.Count | Should -BeGreaterThan 0
        @((Get-Command -Module TuZiImages).Name | Sort-Object) | Should -Be $exported
        # The module's assemblies load from its own folder, not from wherever another copy may lie.
        (Get-Module TuZiImages).ImplementingAssembly.Location | Should -BeLike "$(Split-Path -Parent $script:modulePath)*"
    }

    It 'works again after Remove-Module and Import-Module, in the same process' {
        New-TuZiImage 'before' -ResponseFormat b64_json -OutDirectory out | Out-Null

        Remove-Module TuZiImages
        Get-Command New-TuZiImage -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Import-Module $script:modulePath -ErrorAction Stop
        $again = New-TuZiImage 'after' -ResponseFormat b64_json -OutDirectory out
        $line = "New-TuZiImage 'a fox' -Model gemini-3-p"

        $again.FullName | Should -Exist
        $again | Should -BeOfType ([TuZiImages.Core.TuZiImageResult])
        Get-TabCompletion $line | Should -Contain 'gemini-3-pro-image-preview'
        (Get-TuZiTestRequest $script:server).Count | Should -Be 2
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
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach { Pop-Location }

    It 'imports the module, makes and downloads images, and survives Remove-Module' {
        $powershell = (Get-Command powershell.exe -CommandType Application | Select-Object -First 1).Source
        $folder = (Get-Location).ProviderPath
        $manifest = $script:modulePath
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
