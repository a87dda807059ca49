#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-TuZiModel in a real pwsh: the table and help as the host renders them, and the listed models offered by Tab.
# Everything else about the cmdlet is in the engine tests.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')
}

AfterAll {
    Complete-TuZiTestFile
}

Describe 'Get-TuZiModel' {
    It 'lists the key''s models, filters them by wildcard, and then Tab offers them for -Model' {
        @(Get-TuZiModel).Id | Should -Contain 'deepseek-v3'
        @(Get-TuZiModel 'gpt-image*').Id | Should -Be @('gpt-image-1', 'gpt-image-1.5')

        Get-TabCompletion "New-TuZiImage 'a fox' -Model deep" | Should -Contain 'deepseek-v3'
    }

    It 'shows the models as a table of owner, created and id' {
        $table = Get-TuZiModel 'gpt-image*' | Out-String -Width 160

        $table | Should -Match 'Owner\s+Created\s+Id'
        $table | Should -Match 'openai\s+\d{4}-\d{2}-\d{2}\s+gpt-image-1'
    }

    It 'shows full help with examples and every parameter described' {
        Assert-RenderedHelp Get-TuZiModel
    }
}
