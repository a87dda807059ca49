@{
    # The one source of the module's version: the build reads it from here.
    ModuleVersion        = '0.1.0'
    RootModule           = 'TuZiImages.dll'
    # Loaded before the root module: on .NET Framework below 4.7.2 it says so, instead of 'Could not load netstandard'.
    NestedModules        = @('TuZiImages.Requirements.psm1')
    GUID                 = '6f1d2c3e-8a47-4b0e-9d51-3c7a2e9f4b18'
    Author               = 'TuZiImages contributors'
    CompanyName          = 'TuZiImages'
    Copyright            = '(c) TuZiImages contributors. MIT License.'
    Description          = 'Generate and edit images with the tu-zi images API (Gemini "nano banana", gpt-image and other models) from the PowerShell pipeline.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('TuZiImages.format.ps1xml')
    TypesToProcess       = @('TuZiImages.types.ps1xml')
    CmdletsToExport      = @('New-TuZiImage', 'Edit-TuZiImage', 'Get-TuZiModel', 'Receive-TuZiImage', 'Get-TuZiBalance', 'Get-TuZiImageInfo')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('image', 'ai', 'image-generation', 'gemini', 'nano-banana', 'openai', 'gpt-image', 'tu-zi', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/tuzi-images/TuZiImages'
            LicenseUri   = 'https://github.com/tuzi-images/TuZiImages/blob/main/LICENSE'
            ReleaseNotes = 'First release: New-TuZiImage and Edit-TuZiImage.'
        }
    }
}
