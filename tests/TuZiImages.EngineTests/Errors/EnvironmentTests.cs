using System;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Errors;

/// <summary>TUZI_API_KEY, TUZI_BASE_URL and TUZI_IMAGE_MODEL are process-wide: these tests run alone, and put them back.</summary>
[Trait("Category", "Engine")]
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class EnvironmentTests : IDisposable
{
    private readonly string? _savedKey = Environment.GetEnvironmentVariable("TUZI_API_KEY");
    private readonly string? _savedUrl = Environment.GetEnvironmentVariable("TUZI_BASE_URL");
    private readonly string? _savedModel = Environment.GetEnvironmentVariable("TUZI_IMAGE_MODEL");

    [Fact]
    public async Task A_missing_key_stops_the_pipeline_with_a_message_that_says_how_to_give_one()
    {
        Environment.SetEnvironmentVariable("TUZI_API_KEY", null);
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            $PSDefaultParameterValues.Remove('*-TuZiImage:ApiKey')
            try { 'a', 'b' | New-TuZiImage; 'not reached' } catch { $_ }
            """);

        Assert.Null(run.Terminating);
        var record = Assert.Single(run.Output).BaseObject as System.Management.Automation.ErrorRecord;
        Assert.NotNull(record);
        Assert.StartsWith("TuZiImages.InvalidConfiguration", record!.FullyQualifiedErrorId);
        string advice = record.ToString() + " " + record.ErrorDetails?.RecommendedAction;
        Assert.Contains("TUZI_API_KEY", advice);
        Assert.Contains("-ApiKey", advice);
        Assert.Empty(run.Results);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task The_key_and_address_come_from_TUZI_API_KEY_and_TUZI_BASE_URL_when_not_given()
    {
        await using var engine = await EngineSession.StartAsync(connect: false);
        Environment.SetEnvironmentVariable("TUZI_API_KEY", engine.ApiKey);
        Environment.SetEnvironmentVariable("TUZI_BASE_URL", engine.BaseUri);

        var run = engine.Run("'a red fox' | New-TuZiImage -ResponseFormat b64_json");

        run.ThrowIfFailed();
        Assert.Single(run.Results);
        Assert.Equal("Bearer " + engine.ApiKey, Assert.Single(engine.Server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task TUZI_IMAGE_MODEL_is_the_default_model_below_Model_and_PSDefaultParameterValues()
    {
        await using var engine = await EngineSession.StartAsync();
        Environment.SetEnvironmentVariable("TUZI_IMAGE_MODEL", " gpt-image-1 ");

        var fromEnvironment = engine.Run("'from env' | New-TuZiImage -AspectRatio 16:9 -ResponseFormat b64_json");
        var typed = engine.Run("'typed' | New-TuZiImage -Model dall-e-3 -AspectRatio 16:9 -ResponseFormat b64_json");
        engine.Run("$PSDefaultParameterValues['New-TuZiImage:Model'] = 'gemini-3-pro-image-preview'").ThrowIfFailed();
        var defaulted = engine.Run("'defaulted' | New-TuZiImage -AspectRatio 16:9 -ResponseFormat b64_json");

        fromEnvironment.ThrowIfFailed();
        typed.ThrowIfFailed();
        defaulted.ThrowIfFailed();
        var sent = engine.Server.Requests.ToDictionary(r => r.Field("prompt")!);
        // The family is the environment's model's too: gpt-image-1 gets pixels, not 16x9.
        Assert.Equal(("gpt-image-1", "1536x1024"), (sent["from env"].Field("model"), sent["from env"].Field("size")));
        Assert.Equal("gpt-image-1", fromEnvironment.Results[0].Prop<string>("Model"));
        Assert.Equal(("dall-e-3", "1792x1024"), (sent["typed"].Field("model"), sent["typed"].Field("size")));
        Assert.Equal(("gemini-3-pro-image-preview", "16x9"), (sent["defaulted"].Field("model"), sent["defaulted"].Field("size")));
    }

    [Fact]
    public async Task Completion_offers_the_words_of_the_TUZI_IMAGE_MODEL_family_when_no_model_is_typed()
    {
        await using var engine = await EngineSession.StartAsync(connect: false);
        Environment.SetEnvironmentVariable("TUZI_IMAGE_MODEL", "doubao-seedream-4-5-251128");

        var sizes = engine.Complete("New-TuZiImage 'a fox' -Size ");
        var typed = engine.Complete("New-TuZiImage 'a fox' -Model dall-e-3 -Quality ");

        Assert.Equal(new[] { "2K", "4K" }, sizes.Take(2));
        Assert.Equal(new[] { "standard", "hd" }, typed);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TUZI_IMAGE_MODEL", _savedModel);
        Environment.SetEnvironmentVariable("TUZI_API_KEY", _savedKey);
        Environment.SetEnvironmentVariable("TUZI_BASE_URL", _savedUrl);
    }
}
