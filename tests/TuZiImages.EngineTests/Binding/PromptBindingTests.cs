using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Binding;

[Trait("Category", "Engine")]
public sealed class PromptBindingTests
{
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
