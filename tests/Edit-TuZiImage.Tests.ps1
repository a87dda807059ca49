#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Edit-TuZiImage in a real pwsh: the FileInfo objects of the real Get-ChildItem, help as the host renders it,
# and Tab. Everything else about the cmdlet is in the engine tests.

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

    It 'takes a piped file with [ in its name by its PSPath, and -LiteralPath as typed' {
        New-TestPng -Path (Join-Path (Get-Location).ProviderPath 'shot[1].png') -Shade 9 | Out-Null
        New-TestPng -Path (Join-Path (Get-Location).ProviderPath 'shot1.png') -Shade 8 | Out-Null

        Get-ChildItem -LiteralPath 'shot[1].png' | Edit-TuZiImage -Prompt 'fix' -ResponseFormat b64_json | Out-Null
        Edit-TuZiImage -Prompt 'fix' -LiteralPath 'shot[1].png' -ResponseFormat b64_json | Out-Null

        $requests = Get-TuZiTestRequest $script:server
        $requests.Count | Should -Be 2
        $requests | ForEach-Object { @($_.files).fileName | Should -Be 'shot[1].png' }
    }
}

Describe 'Edit-TuZiImage as the host shows it' {
    It 'shows full help with examples and every parameter described' {
        Assert-RenderedHelp Edit-TuZiImage
    }

    It 'completes -<Parameter> with Tab' -ForEach @(
        @{ Parameter = 'Model'; Typed = 'gpt-image'; Expected = 'gpt-image-1' }
        @{ Parameter = 'AspectRatio'; Typed = '9:'; Expected = "'9:16'" }
    ) {
        Get-TabCompletion "Edit-TuZiImage 'fix' x.png -$Parameter $Typed" | Should -Contain $Expected
    }
}
