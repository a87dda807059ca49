using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Discovery;

/// <summary>
/// A user's first minute: the manifest, help and the table as printed, Tab completion, in the engine. The real
/// pwsh process (tests/*.Tests.ps1) adds only what needs it: a fresh import, Remove-Module, real provider cmdlets.
/// </summary>
[Trait("Category", "Engine")]
public sealed class DiscoveryTests
{

    [Theory]
    [InlineData(461308, true)] // .NET Framework 4.7.1
    [InlineData(394802, true)] // 4.6.2, as Windows Server 2016 ships it
    [InlineData(461808, false)] // 4.7.2
    [InlineData(528040, false)] // 4.8
    public async Task Before_its_assemblies_load_Windows_PowerShell_is_told_it_needs_NET_Framework_4_7_2(int release, bool refused)
    {
        await using var engine = await EngineSession.StartAsync(connect: false);

        // The script TuZiImages.Requirements.psm1 runs in Windows PowerShell, asked what another machine would be told.
        var run = engine.Run("param($Check, $Release) & $Check -Release $Release",
            ("Check", System.IO.Path.Combine(EngineSession.ModuleDirectory, "TuZiImages.Framework.ps1")), ("Release", release));

        if (refused)
        {
            // A throw: it stops Import-Module, as the manifest's nested module is run inside it.
            var error = Assert.IsAssignableFrom<System.Management.Automation.RuntimeException>(run.Terminating);
            Assert.IsType<System.PlatformNotSupportedException>(error.InnerException ?? error);
            Assert.Contains("TuZiImages needs .NET Framework 4.7.2 or later", error.Message);
            Assert.Contains($"release {release}", error.Message);
            Assert.Contains("PowerShell 7.4", error.Message);
        }
        else
        {
            run.ThrowIfFailed();
        }
    }

    [Fact]
    public async Task The_manifests_nested_module_runs_the_framework_check_in_Windows_PowerShell_only()
    {
        await using var engine = await EngineSession.StartAsync(connect: false);

        // Desktop cannot run here: read the one statement the nested module has.
        var run = engine.Run("""
            param($Folder)
            $ast = [System.Management.Automation.Language.Parser]::ParseFile([System.IO.Path]::Combine($Folder, 'TuZiImages.Requirements.psm1'), [ref] $null, [ref] $null)
            $manifest = [System.Management.Automation.Language.Parser]::ParseFile([System.IO.Path]::Combine($Folder, 'TuZiImages.psd1'), [ref] $null, [ref] $null)
            $statement = @($ast.EndBlock.Statements)
            [pscustomobject]@{
                Statements = $statement.Count
                Condition = $statement[0].Clauses[0].Item1.Extent.Text
                Body = $statement[0].Clauses[0].Item2.Extent.Text
                Manifest = [string[]] $manifest.Find({ $args[0] -is [System.Management.Automation.Language.HashtableAst] }, $false).SafeGetValue().NestedModules
            }
            """, ("Folder", EngineSession.ModuleDirectory));

        run.ThrowIfFailed();
        var facts = Assert.Single(run.Output);
        Assert.Equal(1, facts.Prop<int>("Statements"));
        Assert.Equal("$PSEdition -eq 'Desktop'", facts.Prop<string>("Condition"));
        Assert.Contains("TuZiImages.Framework.ps1", facts.Prop<string>("Body"));
        Assert.Equal(new[] { "TuZiImages.Requirements.psm1" }, facts.Prop<string[]>("Manifest"));
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(EngineSession.ModuleDirectory, "TuZiImages.Framework.ps1")));
    }

    [Fact]
    public async Task The_requirements_check_loads_first_and_adds_no_module_or_command_of_its_own()
    {
        await using var engine = await EngineSession.StartAsync(connect: false);

        var run = engine.Run("""
            param($Manifest)
            $imported = @(Import-Module -Name $Manifest -Force -PassThru -ErrorAction Stop)
            [pscustomobject]@{
                Imported = [string[]] ($imported | ForEach-Object Name)
                Loaded = [string[]] (Get-Module | Where-Object Name -like 'TuZiImages*' | ForEach-Object Name)
                Nested = [string[]] ((Get-Module TuZiImages).NestedModules | ForEach-Object Name)
                Functions = @(Get-Command -CommandType Function | Where-Object Source -like 'TuZiImages*').Count
            }
            """, ("Manifest", EngineSession.ModuleManifest));

        run.ThrowIfFailed();
        var facts = Assert.Single(run.Output);
        Assert.Equal(new[] { "TuZiImages" }, facts.Prop<string[]>("Imported"));
        Assert.Equal(new[] { "TuZiImages" }, facts.Prop<string[]>("Loaded"));
        Assert.Contains("TuZiImages.Requirements", facts.Prop<string[]>("Nested")!);
        Assert.Equal(0, facts.Prop<int>("Functions"));
    }

    [Fact]
    public async Task The_manifest_passes_Test_ModuleManifest_for_both_editions_and_exports_what_the_module_has()
    {
        await using var engine = await EngineSession.StartAsync(connect: false);

        var run = engine.Run("""
            param($Manifest)
            $manifest = Test-ModuleManifest -Path $Manifest
            [string[]] $manifest.ExportedCmdlets.Keys
            """, ("Manifest", EngineSession.ModuleManifest));
        var facts = engine.Run("""
            param($Manifest)
            $manifest = Test-ModuleManifest -Path $Manifest
            [pscustomobject]@{
                Editions = [string[]] $manifest.CompatiblePSEditions
                PowerShellVersion = $manifest.PowerShellVersion
                Functions = $manifest.ExportedFunctions.Count
                Loaded = [string[]] (Get-Command -Module TuZiImages | ForEach-Object Name)
            }
            """, ("Manifest", EngineSession.ModuleManifest));

        run.ThrowIfFailed();
        facts.ThrowIfFailed();
        var exported = run.Output.Select(o => (string)o.BaseObject).OrderBy(n => n).ToArray();
        Assert.Contains("New-TuZiImage", exported);
        Assert.Contains("Edit-TuZiImage", exported);
        var fact = Assert.Single(facts.Output);
        Assert.Equal(new[] { "Core", "Desktop" }, fact.Prop<string[]>("Editions"));
        Assert.Equal(new System.Version(5, 1), fact.Prop<System.Version>("PowerShellVersion"));
        Assert.Equal(0, fact.Prop<int>("Functions"));
        Assert.Equal(exported, fact.Prop<string[]>("Loaded")!.OrderBy(n => n));
    }

    /// <summary>
    /// Help as Get-Help -Full prints it: found (not the syntax-only stand-in the engine makes without a help
    /// file), with every example of the command's page in docs/en-US, and a description printed under every
    /// parameter. What the help says is read from the shipped MAML itself in TuZiImages.Tests' HelpTests.
    /// </summary>
    [Theory]
    [InlineData("New-TuZiImage")]
    [InlineData("Edit-TuZiImage")]
    [InlineData("Get-TuZiModel")]
    [InlineData("Receive-TuZiImage")]
    [InlineData("Get-TuZiBalance")]
    public async Task Full_help_prints_from_the_shipped_MAML_with_every_example_and_every_parameter_described(string cmdlet)
    {
        await using var engine = await EngineSession.StartAsync(connect: false);
        string page = System.IO.File.ReadAllText(System.IO.Path.Combine(EngineSession.RepositoryRoot, "docs", "en-US", cmdlet + ".md"));

        // Out-Default is what the console does with output: the engine prints the help to its host.
        var run = engine.Run("""
            param($Name)
            Get-Help $Name -Full | Out-Default
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            [string[]] @((Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common })
            """, ("Name", cmdlet));

        run.ThrowIfFailed();
        string text = Regex.Replace(engine.HostUI.Text, @"\x1b\[[0-9;]*m", "");
        var parameters = run.Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.NotEmpty(parameters);
        Assert.DoesNotContain("cannot find the Help files", text);
        Assert.Matches(new Regex(@"(?m)^SYNOPSIS\s*\r?\n\s+\S"), text);
        int examples = Regex.Matches(page, @"(?m)^### Example \d+").Count;
        Assert.True(examples > 0, $"docs/en-US/{cmdlet}.md has no examples");
        Assert.Equal(examples, Regex.Matches(text, @"(?m)^\s*-+ *Example \d+").Count);
        var undescribed = parameters.Where(p => !Regex.IsMatch(text, $@"(?m)^\s+-{p}( <[^>]+>)?\s*\r?\n\s+(?!Required\?)\S")).ToArray();
        Assert.True(undescribed.Length == 0, "printed without a description: " + string.Join(", ", undescribed));
    }

    [Fact]
    public async Task The_about_topic_is_found_by_Get_Help_and_names_every_cmdlet_without_counting_them()
    {
        await using var engine = await EngineSession.StartAsync(connect: false);

        var run = engine.Run("Get-Help about_TuZiImages");
        var commands = engine.Run("[string[]] (Get-Command -Module TuZiImages).Name");

        run.ThrowIfFailed();
        string text = string.Join("\n", run.Output.Select(o => o.ToString()));
        Assert.Contains("TUZI_API_KEY", text);
        var exported = commands.ThrowIfFailed().Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.NotEmpty(exported);
        Assert.All(exported, name => Assert.Contains(name, text));
        // "has two cmdlets" went stale with the third: the topic names them, and Get-Command counts them.
        Assert.DoesNotMatch(new Regex(@"\b(has|have)\s+(\w+)\s+cmdlets", RegexOptions.IgnoreCase), text);
    }

    [Theory]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3-p", "gemini-3-pro-image-preview")]
    [InlineData("New-TuZiImage 'a fox' -AspectRatio 16", "'16:9'")]
    [InlineData("New-TuZiImage 'a fox' -Quality 4", "4k")]
    [InlineData("New-TuZiImage 'a fox' -Size 1024x15", "1024x1536")]
    [InlineData("Edit-TuZiImage 'fix' x.png -Model gpt-image", "gpt-image-1")]
    [InlineData("Edit-TuZiImage 'fix' x.png -AspectRatio 9:", "'9:16'")]
    [InlineData("New-TuZiImage 'a fox' -ResponseFormat b", "b64_json")]
    public async Task Tab_completes_parameter_values(string line, string expected)
    {
        await using var engine = await EngineSession.StartAsync(connect: false);

        Assert.Contains(expected, engine.Complete(line));
    }
}
