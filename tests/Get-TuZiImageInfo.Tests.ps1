#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-TuZiImageInfo in a real pwsh, with the objects only a real pwsh has: Get-ChildItem's files going in, and the
# README's round trip, `Get-ChildItem out/*.png | Get-TuZiImageInfo | New-TuZiImage -Model gpt-image-2 -OutDirectory v2`,
# as written there. What the record holds, per format, and every other case are in the engine and core tests, once.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Pester/Suite.ps1')
}

AfterAll {
    Complete-TuZiTestFile
}

Describe 'Get-TuZiImageInfo with the real file cmdlets' {
    BeforeEach { Enter-TuZiTestFolder }
    AfterEach { Pop-Location }

    It 'reads the record of what Get-ChildItem lists and makes the same requests again with another model' {
        $null = New-TuZiImage 'a red fox' -AspectRatio 16:9 -Quality 2k -OutDirectory ./out
        $null = New-TuZiImage 'a blue whale' -Model gpt-image-1 -AspectRatio 2:3 -Background transparent -OutputFormat png -OutDirectory ./out

        $info = Get-ChildItem out/*.png | Get-TuZiImageInfo
        # The README's line, as written there.
        $again = Get-ChildItem out/*.png | Get-TuZiImageInfo | New-TuZiImage -Model gpt-image-2 -OutDirectory v2

        $info.RecordSource | Should -Be @('Embedded', 'Embedded')
        $fox = $info | Where-Object Prompt -eq 'a red fox'
        $fox.AspectRatio | Should -Be '16:9'
        $fox.Quality | Should -Be '2k'
        $fox.Model | Should -Be 'gemini-3-pro-image-preview'
        @($again).Count | Should -Be 2
        $all = Get-TuZiTestRequest $script:server
        $requests = $all[2..3]
        $requests | ForEach-Object { Get-TuZiTestField $_ 'model' } | Should -Be @('gpt-image-2', 'gpt-image-2')
        $whale = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a blue whale' }
        Get-TuZiTestField $whale 'background' | Should -Be 'transparent'
        Get-TuZiTestField $whale 'size' | Should -Be '688x1024'
        $remadeFox = $requests | Where-Object { (Get-TuZiTestField $_ 'prompt') -eq 'a red fox' }
        Get-TuZiTestField $remadeFox 'size' | Should -Be '2048x1152'
        $requests | ForEach-Object { @($_.files).Count + @($_.imageUrls).Count } | Should -Be @(0, 0)
    }

    It 'is off everywhere through $PSDefaultParameterValues, and then the files are the service''s bytes' {
        $PSDefaultParameterValues['*-TuZiImage:Metadata'] = 'None'
        try {
            $result = New-TuZiImage 'kept as served' -ResponseFormat b64_json -OutDirectory ./out
        }
        finally {
            $PSDefaultParameterValues.Remove('*-TuZiImage:Metadata')
        }

        $all = Get-TuZiTestRequest $script:server
        $served = $all[0].imageSha256[0]
        (Get-FileHash -Algorithm SHA256 -LiteralPath $result.FullName).Hash.ToLowerInvariant() | Should -Be $served
        (Get-Item -LiteralPath $result.FullName | Get-TuZiImageInfo).RecordSource | Should -Be 'None'
    }
}
