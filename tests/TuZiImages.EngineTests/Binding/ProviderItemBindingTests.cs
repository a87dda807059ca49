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
    public async Task Piped_files_merge_into_one_edit_request()
    {
        await using var engine = await WithPhotosAsync();

        var run = engine.Run("Get-TestChildItem *.png | Edit-TuZiImage -Prompt 'merge' -ResponseFormat b64_json");

        run.ThrowIfFailed();
        var request = Assert.Single(engine.Server.Requests);
        Assert.Equal("/v1/images/edits", request.Path);
        Assert.Equal(new[] { "photo1.png", "photo2.png", "photo3.png" },
            request.Files.Where(f => f.FieldName.StartsWith("image")).Select(f => f.FileName).OrderBy(n => n));
        var result = Assert.Single(run.Results);
        Assert.True(System.IO.File.Exists(result.Prop<string>("FullName")));
        Assert.Equal(3, result.Prop<string[]>("InputImages")!.Length);
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
    public async Task A_piped_file_with_brackets_in_its_name_binds_by_PSPath_literally()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("shot[1].png");
        engine.WritePng("shot1.png", 0x10);

        // As a wildcard "shot[1].png" would mean shot1.png; bound by PSPath it must be the file itself.
        var run = engine.Run("Get-TestChildItem 'shot[1].png' -Literal | Edit-TuZiImage -Prompt 'fix' -ResponseFormat b64_json");

        run.ThrowIfFailed();
        var request = Assert.Single(engine.Server.Requests);
        Assert.Equal("shot[1].png", Assert.Single(request.Files).FileName);
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

    [Fact]
    public async Task Piped_files_bind_to_ReferenceImage_of_one_command_line_prompt()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("ref1.png", 1);
        engine.WritePng("ref2.png", 2);

        var run = engine.Run("Get-TestChildItem ref*.png | New-TuZiImage -Prompt 'a poster in this style' -ResponseFormat b64_json");

        run.ThrowIfFailed();
        var request = Assert.Single(engine.Server.Requests);
        Assert.Equal(2, request.Files.Count);
        Assert.Single(run.Results);
    }
}
