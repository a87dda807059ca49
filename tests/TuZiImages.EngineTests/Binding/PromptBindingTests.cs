using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Binding;

[Trait("Category", "Engine")]
public sealed class PromptBindingTests
{
    [Fact]
    public async Task Lines_of_a_prompts_file_bind_by_value_one_request_each_saved_into_OutDirectory()
    {
        await using var engine = await EngineSession.StartAsync();
        System.IO.File.WriteAllLines(engine.Folder.Combine("prompts.txt"), new[] { "a red fox", "a blue whale", "a green frog" });

        var run = engine.Run("Get-TestContent prompts.txt | New-TuZiImage -AspectRatio 16:9 -Quality 4k -OutDirectory ./out");

        run.ThrowIfFailed();
        var requests = engine.Server.Requests;
        Assert.Equal(new[] { "a blue whale", "a green frog", "a red fox" }, requests.Select(r => r.Field("prompt")).OrderBy(p => p));
        Assert.All(requests, r => Assert.Equal("16x9", r.Field("size")));
        Assert.All(requests, r => Assert.Equal("4k", r.Field("quality")));
        // Each line carries the file's PSPath: it must not turn into a reference image.
        Assert.All(requests, r => Assert.Empty(r.Files));
        Assert.All(requests, r => Assert.Empty(r.ImageUrls));
        Assert.Equal(3, run.Results.Length);
        Assert.All(run.Results, r =>
        {
            Assert.True(System.IO.File.Exists(r.Prop<string>("FullName")));
            Assert.Equal(4096, r.Prop<int>("Width"));
            Assert.Equal(2304, r.Prop<int>("Height"));
        });
        Assert.Equal(3, engine.FilesOnDisk().Count(f => f.StartsWith("out/")));
    }

    [Fact]
    public async Task Csv_rows_bind_every_column_by_property_name()
    {
        await using var engine = await EngineSession.StartAsync();

        // Import-Csv writes PSCustomObjects whose every value is a string: "2" must still bind to an int -Count.
        var run = engine.Run("""
            @(
                [pscustomobject]@{ Prompt = 'a lighthouse'; AspectRatio = '9:16'; Quality = '2k'; Count = '2'; Model = 'gemini-3.1-flash-image-preview'; Size = ''; OutFile = 'lighthouse.png' }
                [pscustomobject]@{ Prompt = 'a castle'; AspectRatio = ''; Quality = 'low'; Count = '1'; Model = 'gpt-image-1'; Size = '1024x1536'; OutFile = 'castle.png' }
                [pscustomobject]@{ Prompt = 'a bridge'; AspectRatio = ''; Quality = ''; Count = '1'; Model = ''; Size = ''; OutFile = '' }
            ) | New-TuZiImage -ResponseFormat b64_json
            """);

        run.ThrowIfFailed();
        var lighthouse = engine.Server.Requests.Single(r => r.Field("prompt") == "a lighthouse");
        Assert.Equal("9x16", lighthouse.Field("size"));
        Assert.Equal("2k", lighthouse.Field("quality"));
        Assert.Equal("2", lighthouse.Field("n"));
        Assert.Equal("gemini-3.1-flash-image-preview", lighthouse.Field("model"));
        var castle = engine.Server.Requests.Single(r => r.Field("prompt") == "a castle");
        Assert.Equal("gpt-image-1", castle.Field("model"));
        Assert.Equal("1024x1536", castle.Field("size"));
        Assert.Equal("1", castle.Field("n"));
        Assert.Equal("low", castle.Field("quality"));
        // A row of empty cells sets nothing.
        var bridge = engine.Server.Requests.Single(r => r.Field("prompt") == "a bridge");
        Assert.Null(bridge.Field("size"));
        Assert.Null(bridge.Field("quality"));
        Assert.False(string.IsNullOrWhiteSpace(bridge.Field("model")), "an empty Model cell leaves the module's default model");
        Assert.Equal(4, run.Results.Length);
        Assert.Contains("lighthouse-1.png", engine.FilesOnDisk());
        Assert.Contains("lighthouse-2.png", engine.FilesOnDisk());
        Assert.Contains("castle.png", engine.FilesOnDisk());
        Assert.Equal(engine.Folder.Combine("castle.png"), run.Results.Single(r => r.Prop<string>("Prompt") == "a castle").Prop<string>("FullName"));
    }

    [Fact]
    public async Task An_empty_Count_cell_sets_no_count_while_other_rows_set_theirs()
    {
        await using var engine = await EngineSession.StartAsync();

        // Import-Csv's empty cell is "", which PowerShell alone would convert to 0 for an int and the module refuse.
        var run = engine.Run("""
            @(
                [pscustomobject]@{ Prompt = 'a lighthouse'; Count = '' }
                [pscustomobject]@{ Prompt = 'a castle'; Count = '2' }
                [pscustomobject]@{ Prompt = 'a bridge'; Count = '  ' }
                [pscustomobject]@{ Prompt = 'a tower'; Count = [psobject]'' }
            ) | New-TuZiImage -ResponseFormat b64_json -OutDirectory ./out
            """);

        run.ThrowIfFailed();
        var sentCounts = engine.Server.Requests.ToDictionary(r => r.Field("prompt")!, r => r.Field("n"));
        Assert.Equal(4, sentCounts.Count);
        Assert.Null(sentCounts["a lighthouse"]);
        Assert.Equal("2", sentCounts["a castle"]);
        Assert.Null(sentCounts["a bridge"]);
        Assert.Null(sentCounts["a tower"]);
        Assert.Equal(2, run.Results.Count(r => r.Prop<string>("Prompt") == "a castle"));
        Assert.Equal(5, run.Results.Length);
    }

    [Fact]
    public async Task A_zero_Count_is_still_refused_whether_typed_or_from_a_csv_cell()
    {
        await using var engine = await EngineSession.StartAsync();

        var typed = engine.Run("New-TuZiImage 'a lighthouse' -Count 0 -ResponseFormat b64_json");

        Assert.Empty(typed.Results);
        var error = Assert.Single(typed.Errors);
        Assert.Equal("TuZiImages.InvalidInput,TuZiImages.Commands.NewTuZiImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("image count 0 is outside 1-10", error.ToString());

        var piped = engine.Run("""
            @(
                [pscustomobject]@{ Prompt = 'a castle'; Count = '0' }
                [pscustomobject]@{ Prompt = 'a bridge'; Count = '' }
            ) | New-TuZiImage -ResponseFormat b64_json
            """);

        Assert.Null(piped.Terminating);
        Assert.Equal("a bridge", Assert.Single(piped.Results).Prop<string>("Prompt"));
        Assert.StartsWith("TuZiImages.InvalidInput", Assert.Single(piped.Errors).FullyQualifiedErrorId);
        Assert.Equal("a bridge", Assert.Single(engine.Server.Requests).Field("prompt"));
    }

    [Fact]
    public async Task PSDefaultParameterValues_for_every_TuZiImage_cmdlet_supply_the_model()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo.png");

        var run = engine.Run("""
            $PSDefaultParameterValues['*-TuZiImage:Model'] = 'gpt-image-1'
            New-TuZiImage 'a red fox' -ResponseFormat b64_json
            Edit-TuZiImage -Prompt 'add snow' -Path photo.png -ResponseFormat b64_json
            New-TuZiImage 'a blue whale' -Model dall-e-3 -ResponseFormat b64_json
            """);

        run.ThrowIfFailed();
        Assert.Equal(new[] { "gpt-image-1", "gpt-image-1", "dall-e-3" }, engine.Server.Requests.Select(r => r.Field("model")));
    }
}
