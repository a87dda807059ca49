using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Binding;

/// <summary>Get-ChildItem's objects (from the provider, as Get-ChildItem writes them) piped into the cmdlets.</summary>
[Trait("Category", "Engine")]
public sealed class ProviderItemBindingTests
{
    private static async Task<EngineSession> WithPhotosAsync()
    {
        var engine = await EngineSession.StartAsync();
        for (int i = 1; i <= 3; i++)
        {
            engine.WritePng($"photo{i}.png", (byte)(i * 40));
        }
        return engine;
    }

     [Fact]
    public async Task Separately_sends_one_request_per_piped_file()
    {
        await using var engine = await WithPhotosAsync();

        var run = engine.Run("Get-TestChildItem *.png | Edit-TuZiImage -Prompt 'black and white' -Separately -ResponseFormat b64_json");

        run.ThrowIfFailed();
        Assert.Equal(3, engine.Server.Requests.Count);
        Assert.All(engine.Server.Requests, r => Assert.Single(r.Files));
        Assert.Equal(3, run.Results.Select(r => r.Prop<string>("FullName")).Distinct().Count());
    }

     [Fact]
    public async Task LiteralPath_takes_a_name_with_brackets_as_it_is()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("shot[1].png");

        var run = engine.Run("Edit-TuZiImage -Prompt 'fix' -LiteralPath 'shot[1].png' -ResponseFormat b64_json");

        run.ThrowIfFailed();
        Assert.Equal("shot[1].png", Assert.Single(Assert.Single(engine.Server.Requests).Files).FileName);
    }

 }
