using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.FirstUse;

/// <summary>
/// What a new user meets first, with only the README and Get-Help (issue #26). Each test is named after the README
/// section and the sentence it guards; the README's and the help's examples themselves run in tests/Examples.Tests.ps1.
/// </summary>
[Trait("Category", "Engine")]
public sealed class FirstUseTests
{
    [Fact]
    public async Task Errors_and_retries__a_request_any_of_whose_input_images_cannot_be_read_is_not_sent_and_one_error_names_them_all()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("ok.png", 1);
        engine.WritePng("fine.png", 2);
        File.WriteAllText(engine.Folder.Combine("notes.png"), "not an image");

        var run = engine.Run("""
            New-TuZiImage 'a poster' -ReferenceImage ok.png, nope.png -ResponseFormat b64_json
            Edit-TuZiImage -Path ok.png, nope.png, nothing*.png -Prompt 'merge' -ResponseFormat b64_json
            Get-TestChildItem ok.png, notes.png, fine.png | Edit-TuZiImage -Prompt 'merge piped' -ResponseFormat b64_json
            """);

        Assert.Null(run.Terminating);
        Assert.Empty(run.Results);
        Assert.Empty(engine.Server.Requests);
        Assert.Equal(3, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.StartsWith("TuZiImages.InvalidInput", e.FullyQualifiedErrorId));
        Assert.All(run.Errors, e => Assert.Contains("Nothing was sent", e.ToString()));
        // The request is the target, by its prompt; its message names every input that cannot be used.
        Assert.Equal(new object[] { "a poster", "merge", "merge piped" }, run.Errors.Select(e => e.TargetObject));
        Assert.Contains("nope.png", run.Errors[0].ToString());
        Assert.Contains("nope.png", run.Errors[1].ToString());
        Assert.Contains("nothing*.png", run.Errors[1].ToString());
        Assert.Contains("notes.png", run.Errors[2].ToString());
        Assert.DoesNotContain("fine.png", run.Errors[2].ToString());
    }

    [Fact]
    public async Task Errors_and_retries__with_Separately_each_image_is_a_request_of_its_own_and_a_bad_one_fails_alone()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("ok.png", 1);

        var run = engine.Run("Edit-TuZiImage -Path ok.png, nope.png -Prompt 'fix' -Separately -ResponseFormat b64_json");

        Assert.Single(run.Results);
        Assert.Equal("nope.png", Assert.Single(run.Errors).TargetObject);
        Assert.Equal("ok.png", Assert.Single(Assert.Single(engine.Server.Requests).Files).FileName);
    }

    [Fact]
    public async Task Examples__a_CSV_rows_OutFile_with_OutDirectory_lands_in_that_directory_and_a_bad_rows_error_names_its_prompt()
    {
        await using var engine = await EngineSession.StartAsync();
        string absolute = engine.Folder.Combine("elsewhere.png");
        Directory.CreateDirectory(engine.Folder.Combine("out"));
        File.WriteAllText(engine.Folder.Combine("out", "taken.png"), "mine");

        // Import-Csv's rows: PSCustomObjects of strings, an empty cell as "".
        var run = engine.Run("""
            param($Absolute)
            @(
                [pscustomobject]@{ Prompt = 'a lighthouse'; OutFile = 'lighthouse.png' }
                [pscustomobject]@{ Prompt = 'a castle'; OutFile = 'castles/castle.png' }
                [pscustomobject]@{ Prompt = 'a bridge'; OutFile = $Absolute }
                [pscustomobject]@{ Prompt = 'a tower'; OutFile = '' }
                [pscustomobject]@{ Prompt = 'a taken name'; OutFile = 'taken.png' }
            ) | New-TuZiImage -OutDirectory ./out -ResponseFormat b64_json
            """, ("Absolute", absolute));

        var saved = run.Results.ToDictionary(r => r.Prop<string>("Prompt")!, r => r.Prop<string>("FullName")!);
        Assert.Equal(engine.Folder.Combine("out", "lighthouse.png"), saved["a lighthouse"]);
        Assert.Equal(engine.Folder.Combine("out", "castles", "castle.png"), saved["a castle"]);
        Assert.Equal(absolute, saved["a bridge"]);
        Assert.Matches("^a-tower-[0-9a-f]{8}[.]png$", Path.GetFileName(saved["a tower"]));
        Assert.Equal(engine.Folder.Combine("out"), Path.GetDirectoryName(saved["a tower"]));
        var error = Assert.Single(run.Errors);
        Assert.Equal("a taken name", error.TargetObject);
        Assert.Contains("already exists", error.ToString());
        Assert.Equal(4, engine.Server.Requests.Count);
    }

    [Fact]
    public async Task Help__a_blank_line_of_prompts_is_skipped_with_a_verbose_line_and_an_empty_Prompt_typed_is_still_an_error()
    {
        await using var engine = await EngineSession.StartAsync();

        // Get-Content's lines, blank ones included.
        var piped = engine.Run("'a red fox', '', '   ', 'a blue whale' | New-TuZiImage -ResponseFormat b64_json -Verbose");
        var typed = engine.Run("New-TuZiImage -Prompt '' -ResponseFormat b64_json; New-TuZiImage '  ' -ResponseFormat b64_json");

        piped.ThrowIfFailed();
        Assert.Equal(2, piped.Results.Length);
        Assert.Equal(2, piped.Verbose.Count(v => v.Contains("Skipped a blank prompt")));
        Assert.Equal(2, typed.Errors.Count);
        Assert.All(typed.Errors, e => Assert.Contains("The prompt is empty", e.ToString()));
        Assert.Equal(new[] { "a blue whale", "a red fox" }, engine.Server.Requests.Select(r => r.Field("prompt")).Order());
    }

    [Fact]
    public async Task Help__results_show_as_a_table_of_index_pixels_elapsed_model_and_name_each_a_property_within_80_columns()
    {
        await using var engine = await EngineSession.StartAsync();

        // Out-Default is what an 80-column console does with output: it formats through the module's format file.
        var run = engine.Run("""
            $Host.UI.RawUI.BufferSize = [System.Management.Automation.Host.Size]::new(80, 3000)
            $result = New-TuZiImage 'a red fox in the snow at dawn, watercolour on rough paper' -Model gemini-3-pro-image-preview-4k -AspectRatio 16:9 -OutDirectory out
            $result | Out-Default
            $result
            """);

        run.ThrowIfFailed();
        var result = Assert.Single(run.Results);
        string[] lines = Regex.Replace(engine.HostUI.Text, @"\x1b\[[0-9;]*m", "").Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToArray();
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        string[] headers = Regex.Split(lines[0].Trim(), @"\s+");
        Assert.Equal(new[] { "Index", "Pixels", "Elapsed", "Model", "Name" }, headers);
        // Each header is a property holding what its column shows (what Select-Object and Sort-Object read).
        Assert.Equal("4096x2304", result.Prop<string>("Pixels"));
        Assert.Equal(Path.GetFileName(result.Prop<string>("FullName")), result.Prop<string>("Name"));
        Assert.IsType<TimeSpan>(result.Prop("Elapsed"));
        string row = lines[2];
        Assert.Matches(@"^\s+1 4096x2304 \d:\d\d:\d\d\.\d ", row);
        // Long values are cut at their start: the model's suffix and the file's hash and extension stay in view.
        Assert.Matches(@"preview-4k …\S*-[0-9a-f]{8}\.png$", row);
        Assert.EndsWith(result.Prop<string>("Name")!.Substring(result.Prop<string>("Name")!.Length - 20), row);
    }

    [Fact]
    public async Task Help__every_column_of_the_result_table_is_the_result_property_of_its_name()
    {
        var view = XDocument.Load(Path.Combine(EngineSession.ModuleDirectory, "TuZiImages.format.ps1xml")).Descendants("View")
            .Single(v => v.Element("Name")!.Value == "TuZiImageResult");
        string[] labels = view.Descendants("TableColumnHeader").Select(h => h.Element("Label")!.Value).ToArray();
        var items = view.Descendants("TableColumnItem").ToArray();

        Assert.Equal(labels, items.Select(i => i.Element("PropertyName")?.Value));
        Assert.DoesNotContain(items, i => i.Element("ScriptBlock") is not null);
        Assert.Equal(79, view.Descendants("TableColumnHeader").Sum(h => int.Parse(h.Element("Width")!.Value) + 1) - 1);

        await using var engine = await EngineSession.StartAsync();
        var run = engine.Run("param($Labels) $r = New-TuZiImage 'a fox' -OutDirectory out; $Labels | ForEach-Object { $null -ne $r.psobject.Properties[$_] }", ("Labels", labels));
        run.ThrowIfFailed();
        Assert.All(run.Output, o => Assert.True((bool)o.BaseObject));
    }

    [Fact]
    public async Task Help__a_result_serializes_cleanly_its_File_hidden_and_its_path_lists_as_text_and_still_pipes_on()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("a.png", 1);
        engine.WritePng("b.png", 2);

        // What ConvertTo-Json and Export-Csv read: the visible properties and each value's text (the real cmdlets: New-TuZiImage.Tests.ps1).
        var made = engine.Run("$r = Edit-TuZiImage -Path a.png, b.png -Prompt 'merge' -OutDirectory out; [string[]] $r.psobject.Properties.Name");
        var inputs = engine.Run("$r.InputImages.ToString()");
        var file = engine.Run("$r.File.FullName -eq $r.FullName");
        var piped = engine.Run("$r | Resolve-TestPipedPath; $r | Edit-TuZiImage -Prompt 'again' -OutDirectory out2 | ForEach-Object FullName");

        var names = made.ThrowIfFailed().Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.DoesNotContain("File", names);
        Assert.Contains("FullName", names);
        Assert.Equal(engine.Folder.Combine("a.png") + "; " + engine.Folder.Combine("b.png"), Assert.Single(inputs.ThrowIfFailed().Output).BaseObject);
        Assert.True((bool)Assert.Single(file.ThrowIfFailed().Output).BaseObject);
        var paths = piped.ThrowIfFailed().Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.Equal(2, paths.Length);
        Assert.StartsWith(engine.Folder.Combine("out"), paths[0]);
        Assert.StartsWith(engine.Folder.Combine("out2"), paths[1]);
        Assert.Equal(2, engine.Server.Requests.Count);
    }
}
