#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Edit-TuZiImage in a real pwsh: the FileInfo objects of the real Get-ChildItem. Everything else about the
# cmdlet (-LiteralPath, -Separately, help, Tab...) is in the engine tests, once.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')
}

AfterAll {
    Complete-TuZiTestFile
}

Describe 'Edit-TuZiImage with Get-ChildItem' {
    BeforeEach {
        Enter-TuZiTestFolder
        1..3 | ForEach-Object { New-TestPng -Path (Join-Path (Get-Location).ProviderPath "photo$_.png") -Shade $_ } | Out-Null
    }
    AfterEach { Pop-Location }

    It 'merges every image Get-ChildItem pipes into one request' {
        $result = Get-ChildItem *.png | Edit-TuZiImage -Prompt 'merge' -ResponseFormat b64_json

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 1
        $requests[0].path | Should -Be '/v1/images/edits'
        @($requests[0].files | Where-Object fieldName -eq 'image').fileName | Should -Be @('photo1.png', 'photo2.png', 'photo3.png')
        @($result).Count | Should -Be 1
        $result.FullName | Should -Exist
        $result.InputImages.Count | Should -Be 3
    }

    It 'takes a piped file with [ in its name by its PSPath, not as a wildcard' {
        New-TestPng -Path (Join-Path (Get-Location).ProviderPath 'shot[1].png') -Shade 9 | Out-Null
        New-TestPng -Path (Join-Path (Get-Location).ProviderPath 'shot1.png') -Shade 8 | Out-Null

        Get-ChildItem -LiteralPath 'shot[1].png' | Edit-TuZiImage -Prompt 'fix' -ResponseFormat b64_json | Out-Null

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 1
        @($requests[0].files).fileName | Should -Be 'shot[1].png'
    }
}
