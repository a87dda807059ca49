using System;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Errors;

/// <summary>TUZI_API_KEY and TUZI_BASE_URL are process-wide: these tests run alone, and put them back.</summary>
[Trait("Category", "Engine")]
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class EnvironmentTests : IDisposable
{
    private readonly string? _savedKey = Environment.GetEnvironmentVariable("TUZI_API_KEY");
    private readonly string? _savedUrl = Environment.GetEnvironmentVariable("TUZI_BASE_URL");

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

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TUZI_API_KEY", _savedKey);
        Environment.SetEnvironmentVariable("TUZI_BASE_URL", _savedUrl);
    }
}
