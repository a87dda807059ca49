using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Errors;

/// <summary>Error records as scripts see them: ids, categories, targets, details; one bad item never stops the rest.</summary>
[Trait("Category", "Engine")]
public sealed class ErrorTests
{
    [Fact]
    public async Task A_failing_request_is_a_non_terminating_error_with_id_category_target_and_details()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("'first', 'second [fault:400]', 'third' | New-TuZiImage -ResponseFormat b64_json");

        Assert.Null(run.Terminating);
        Assert.Equal(new[] { "first", "third" }, run.Results.Select(r => r.Prop<string>("Prompt")).OrderBy(p => p));
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("TuZiImages.BadRequest", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("second [fault:400]", error.TargetObject);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.Message));
        Assert.Contains("400", error.ToString());
        Assert.Equal(3, engine.Server.Requests.Count);
    }

    [Fact]
    public async Task A_missing_file_is_named_in_a_non_terminating_error_and_the_others_go_on()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo1.png", 1);
        engine.WritePng("photo2.png", 2);

        var run = engine.Run("Edit-TuZiImage -Prompt 'fix' -Path 'photo1.png', 'missing.png', 'photo2.png' -Separately -ResponseFormat b64_json");

        Assert.Null(run.Terminating);
        Assert.Equal(2, run.Results.Length);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("TuZiImages.InvalidInput", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("missing.png", error.ToString());
        Assert.Equal("missing.png", error.TargetObject);
        Assert.Equal(2, engine.Server.Requests.Count);
    }

    [Fact]
    public async Task Bad_input_is_refused_item_by_item_without_being_sent()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            @(
                [pscustomobject]@{ Prompt = 'fine' }
                [pscustomobject]@{ Prompt = 'too many'; Count = 11 }
                [pscustomobject]@{ Prompt = 'odd ratio'; AspectRatio = 'wide' }
            ) | New-TuZiImage -ResponseFormat b64_json
            """);

        Assert.Null(run.Terminating);
        Assert.Equal("fine", Assert.Single(run.Results).Prop<string>("Prompt"));
        Assert.Equal(2, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.StartsWith("TuZiImages.InvalidInput", e.FullyQualifiedErrorId));
        Assert.Contains(run.Errors, e => e.ToString().Contains("11"));
        Assert.Contains(run.Errors, e => e.ToString().Contains("wide"));
        Assert.Equal("fine", Assert.Single(engine.Server.Requests).Field("prompt"));
    }

    [Fact]
    public async Task A_malformed_BaseUri_stops_the_pipeline_before_anything_is_sent()
    {
        await using var engine = await EngineSession.StartAsync();

        // A try block catches a terminating error and nothing after it in the block runs.
        var run = engine.Run("try { 'a', 'b' | New-TuZiImage -BaseUri 'ftp://images.example'; 'not reached' } catch { $_ }");

        Assert.Null(run.Terminating);
        var record = Assert.Single(run.Output).BaseObject as ErrorRecord;
        Assert.NotNull(record);
        Assert.StartsWith("TuZiImages.InvalidConfiguration", record!.FullyQualifiedErrorId);
        Assert.Contains("ftp://images.example", record.ToString());
        Assert.Contains("-BaseUri", record.ToString() + record.ErrorDetails?.RecommendedAction);
        Assert.Empty(run.Results);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task ErrorAction_Stop_turns_a_failed_request_into_a_terminating_error_a_script_can_catch()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            try { 'a [fault:401]', 'b' | New-TuZiImage -ResponseFormat b64_json -ErrorAction Stop; 'not reached' }
            catch { 'caught ' + $_.FullyQualifiedErrorId }
            """);

        run.ThrowIfFailed();
        // 'b' runs beside 'a' and may finish first; what matters is that the failure was caught as terminating.
        var said = run.Output.Select(o => o.BaseObject).OfType<string>().ToArray();
        Assert.DoesNotContain("not reached", said);
        Assert.Contains(said, s => s.StartsWith("caught TuZiImages.AuthenticationFailed"));
    }

    [Fact]
    public async Task A_wildcard_that_matches_nothing_and_a_path_outside_the_file_system_are_named_and_the_rest_goes_on()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo1.png");

        var run = engine.Run("Edit-TuZiImage -Prompt 'fix' -Path 'photo1.png', 'nothing*.png', 'Env:HOME' -Separately -ResponseFormat b64_json");

        Assert.Null(run.Terminating);
        Assert.Single(run.Results);
        Assert.Equal(2, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.StartsWith("TuZiImages.InvalidInput", e.FullyQualifiedErrorId));
        Assert.Contains(run.Errors, e => e.TargetObject as string == "nothing*.png" && e.ToString().Contains("nothing*.png"));
        Assert.Contains(run.Errors, e => e.TargetObject as string == "Env:HOME" && e.ToString().Contains("Env:HOME"));
        Assert.Equal("photo1.png", Assert.Single(Assert.Single(engine.Server.Requests).Files).FileName);
    }
}
