using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.Tests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Surface;

/// <summary>
/// The gpt-image surface in the real engine: hashtables as PowerShell binds them, tab completion by model,
/// previews through Write-Progress, and Get-TuZiModel as a cmdlet.
/// </summary>
[Trait("Category", "Engine")]
public sealed class SurfaceTests
{
    [Fact]
    public async Task AdditionalParameter_values_keep_their_PowerShell_types_in_the_json_body()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("""
            $wrapped = [psobject] 5
            New-TuZiImage 'a fox' -ResponseFormat b64_json -AdditionalParameter ([ordered]@{
                seed = 42; ratio = 1.5; big = 12345678901; watermark = $false; tags = @('a', 1, $true)
                nested = @{ steps = 30; inner = @{ deep = $null } }; custom = [pscustomobject]@{ a = 1; b = 'two' }
                wrapped = $wrapped; when = [datetime]::new(2026, 1, 2, 3, 4, 5, [System.DateTimeKind]::Utc)
            })
            """);

        run.ThrowIfFailed();
        Assert.Single(run.Results);
        using var json = JsonDocument.Parse(Assert.Single(engine.Server.Requests).Json!);
        var root = json.RootElement;
        Assert.Equal("42", root.GetProperty("seed").GetRawText());
        Assert.Equal("1.5", root.GetProperty("ratio").GetRawText());
        Assert.Equal("12345678901", root.GetProperty("big").GetRawText());
        Assert.Equal(JsonValueKind.False, root.GetProperty("watermark").ValueKind);
        Assert.Equal("[\"a\",1,true]", root.GetProperty("tags").GetRawText());
        Assert.Equal(30, root.GetProperty("nested").GetProperty("steps").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("nested").GetProperty("inner").GetProperty("deep").ValueKind);
        Assert.Equal("{\"a\":1,\"b\":\"two\"}", root.GetProperty("custom").GetRawText());
        Assert.Equal("5", root.GetProperty("wrapped").GetRawText());
        Assert.Equal("2026-01-02T03:04:05.0000000Z", root.GetProperty("when").GetString());
    }

    [Fact]
    public async Task An_array_in_AdditionalParameter_repeats_the_field_of_an_edit()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("in.png");

        var run = engine.Run("Edit-TuZiImage 'blend' -Path in.png -ResponseFormat b64_json -InputFidelity High -AdditionalParameter @{ 'tags[]' = 'x', 'y'; seed = 7 }");

        run.ThrowIfFailed();
        var sent = Assert.Single(engine.Server.Requests);
        Assert.Equal(new[] { "x", "y" }, sent.FieldValues("tags[]"));
        Assert.Equal("7", sent.Field("seed"));
        Assert.Equal("high", sent.Field("input_fidelity"));
    }

    [Fact]
    public async Task A_key_that_a_parameter_also_sets_is_an_error_naming_both_and_nothing_is_sent()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("New-TuZiImage 'a fox' -Model gpt-image-1 -Quality high -AdditionalParameter @{ quality = 'low' }");

        Assert.Empty(run.Results);
        var error = Assert.Single(run.Errors);
        Assert.Equal("TuZiImages.InvalidInput,TuZiImages.Commands.NewTuZiImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-AdditionalParameter", error.ErrorDetails.Message);
        Assert.Contains("-Quality", error.ErrorDetails.Message);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task Transparent_jpeg_is_refused_locally()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("New-TuZiImage 'a sticker' -Model gpt-image-1 -Background transparent -OutputFormat jpeg");

        Assert.Contains("JPEG", Assert.Single(run.Errors).ErrorDetails.Message);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task Header_reaches_the_api_and_an_Authorization_header_stops_the_command_before_anything_is_sent()
    {
        await using var engine = await EngineSession.StartAsync();

        var ok = engine.Run("New-TuZiImage 'a fox' -ResponseFormat b64_json -Header @{ 'X-Trace-Id' = 'job-7' }");
        var refused = engine.Run("try { New-TuZiImage 'a fox' -Header @{ Authorization = 'Bearer sk-smuggled' }; 'not reached' } catch { $_ }");

        ok.ThrowIfFailed();
        Assert.Equal("job-7", Assert.Single(engine.Server.Requests).Header("X-Trace-Id"));
        var record = Assert.Single(refused.Output).BaseObject as ErrorRecord;
        Assert.NotNull(record);
        Assert.Equal("TuZiImages.InvalidConfiguration,TuZiImages.Commands.NewTuZiImageCommand", record!.FullyQualifiedErrorId);
        Assert.Contains("-ApiKey", record.ErrorDetails.Message);
        Assert.DoesNotContain("sk-smuggled", refused.AllText());
        Assert.Single(engine.Server.Requests);
    }

    [Fact]
    public async Task PartialImages_emits_only_the_final_image_listing_its_previews_and_reports_each_through_progress()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("New-TuZiImage 'a fox' -Model gpt-image-1 -PartialImages 3 -OutFile fox.png");

        run.ThrowIfFailed();
        var result = Assert.Single(run.Output);
        string[] previews = result.Prop<string[]>("Previews")!;
        Assert.Equal(new[] { "fox.partial-1.png", "fox.partial-2.png", "fox.partial-3.png" }, previews.Select(Path.GetFileName).ToArray());
        Assert.Equal(new[] { "fox.partial-1.png", "fox.partial-2.png", "fox.partial-3.png", "fox.png" }, engine.FilesOnDisk());
        var notes = run.Progress.Where(p => p.CurrentOperation is not null).Select(p => p.CurrentOperation).ToArray();
        Assert.Equal(3, notes.Length);
        Assert.All(notes.Zip(previews), pair => Assert.Contains(pair.Second, pair.First));
        Assert.True(PSObject.AsPSObject(result.Prop("Usage")!).Prop<long>("TotalTokens") > 0);
    }

    [Fact]
    public async Task A_cut_stream_is_a_non_terminating_error_and_leaves_no_file()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Server.EnqueueFault(new FaultSpec { Match = "cut", Truncate = true });

        var run = engine.Run("'cut short', 'whole' | New-TuZiImage -Model gpt-image-1 -PartialImages 2 -OutDirectory out");

        var error = Assert.Single(run.Errors);
        Assert.Equal("TuZiImages.NetworkError,TuZiImages.Commands.NewTuZiImageCommand", error.FullyQualifiedErrorId);
        var result = Assert.Single(run.Results);
        Assert.Equal("whole", result.Prop<string>("Prompt"));
        // Only the whole request's files remain: its image and its two previews.
        Assert.Equal(3, engine.FilesOnDisk().Length);
        Assert.All(engine.FilesOnDisk(), f => Assert.StartsWith("out/whole-", f));
    }

    [Theory]
    [InlineData("New-TuZiImage 'a fox' -Model gpt-image-1 -Quality ", new[] { "low", "medium", "high", "auto" }, "4k")]
    [InlineData("New-TuZiImage 'a fox' -Model dall-e-3 -Quality ", new[] { "standard", "hd" }, "high")]
    [InlineData("New-TuZiImage 'a fox' -Quality ", new[] { "1k", "2k", "4k" }, "high")]
    [InlineData("Edit-TuZiImage 'fix' x.png -Model gemini-3-pro-image-preview -Quality ", new[] { "1k", "2k", "4k" }, "hd")]
    [InlineData("New-TuZiImage 'a fox' -Model a-model-not-in-the-table -Quality ", new[] { "1k", "high", "hd" }, null)]
    [InlineData("New-TuZiImage 'a fox' -Background t", new[] { "transparent" }, "opaque")]
    [InlineData("New-TuZiImage 'a fox' -OutputFormat ", new[] { "png", "jpeg", "webp" }, null)]
    [InlineData("New-TuZiImage 'a fox' -Moderation ", new[] { "auto", "low" }, null)]
    [InlineData("Edit-TuZiImage 'fix' x.png -InputFidelity h", new[] { "high" }, "low")]
    public async Task Tab_completes_the_words_of_the_typed_model(string line, string[] expected, string? notExpected)
    {
        await using var engine = await EngineSession.StartAsync(connect: false);

        var completions = engine.Complete(line);

        Assert.Equal(expected, completions.Where(expected.Contains).ToArray());
        if (notExpected is not null)
        {
            Assert.DoesNotContain(notExpected, completions);
        }
    }

    [Fact]
    public async Task Completion_reads_the_model_and_address_from_PSDefaultParameterValues_when_they_are_not_typed()
    {
        // connect: the session's BaseUri and key come from $PSDefaultParameterValues['*-TuZiImage:...'].
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions { Models = { "gpt-image-9-preview" } });
        engine.Run("param($BaseUri, $ApiKey) Get-TuZiModel -BaseUri $BaseUri -ApiKey $ApiKey | Out-Null", ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey)).ThrowIfFailed();
        engine.Run("$PSDefaultParameterValues['New-TuZiImage:Model'] = 'gpt-image-1'").ThrowIfFailed();

        var quality = engine.Complete("New-TuZiImage 'a fox' -Quality ");
        var typedWins = engine.Complete("New-TuZiImage 'a fox' -Model dall-e-3 -Quality ");
        var edit = engine.Complete("Edit-TuZiImage 'fix' x.png -Quality ");
        var model = engine.Complete("New-TuZiImage 'a fox' -Model gpt-image-9");

        Assert.Equal(new[] { "low", "medium", "high", "auto" }, quality);
        Assert.Equal(new[] { "standard", "hd" }, typedWins);
        Assert.Equal(new[] { "1k", "2k", "4k" }, edit); // the default names New-TuZiImage only
        Assert.Equal(new[] { "gpt-image-9-preview" }, model);
    }

    [Fact]
    public async Task Get_TuZiModel_lists_the_keys_models_as_objects_and_filters_with_wildcards()
    {
        await using var engine = await EngineSession.StartAsync();

        var all = engine.Run("param($BaseUri, $ApiKey) Get-TuZiModel -BaseUri $BaseUri -ApiKey $ApiKey", ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey));
        var some = engine.Run("param($BaseUri, $ApiKey) Get-TuZiModel 'GPT-IMAGE*', 'dall-e-?' -BaseUri $BaseUri -ApiKey $ApiKey", ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey));

        all.ThrowIfFailed();
        some.ThrowIfFailed();
        Assert.Equal(engine.Server.Options.Models, all.OutputOf("TuZiImages.Core.TuZiModel").Select(m => m.Prop<string>("Id")));
        Assert.Equal(new[] { "gpt-image-1", "gpt-image-1.5", "dall-e-3" }, some.Output.Select(m => m.Prop<string>("Id")).ToArray());
        Assert.Equal("openai", some.Output[0].Prop<string>("Owner"));
        Assert.All(engine.Server.Requests, r => Assert.Equal("Bearer " + engine.ApiKey, r.Header("Authorization")));
    }

    [Fact]
    public async Task Get_TuZiModel_with_a_wrong_key_writes_an_authentication_error_without_the_key()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions { ExpectedApiKey = "sk-the-right-one" });

        var run = engine.Run("param($BaseUri, $ApiKey) Get-TuZiModel -BaseUri $BaseUri -ApiKey $ApiKey", ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey));

        Assert.Empty(run.Output);
        Assert.Null(run.Terminating);
        var error = Assert.Single(run.Errors);
        Assert.Equal("TuZiImages.AuthenticationFailed,TuZiImages.Commands.GetTuZiModelCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.DoesNotContain(engine.ApiKey, run.AllText());
    }

    [Fact]
    public async Task After_Get_TuZiModel_Model_completion_offers_the_listed_models_first()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions { Models = { "gpt-image-9-preview" } }, connect: false);
        string line = $"New-TuZiImage 'a fox' -BaseUri {engine.BaseUri} -Model gpt-image";

        var before = engine.Complete(line);
        engine.Run("param($BaseUri, $ApiKey) Get-TuZiModel -BaseUri $BaseUri -ApiKey $ApiKey | Out-Null", ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey)).ThrowIfFailed();
        var after = engine.Complete(line);

        Assert.DoesNotContain("gpt-image-9-preview", before);
        Assert.Equal("gpt-image-1", before[0]);
        // Listed first, in the service's order; built-in names the key lacks come after.
        Assert.Equal(new[] { "gpt-image-1", "gpt-image-1.5", "gpt-image-9-preview", "gpt-image-2" }, after);
    }

    [Fact]
    public async Task Get_TuZiModel_shows_as_a_table_of_owner_created_price_and_id()
    {
        await using var engine = await EngineSession.StartAsync();

        engine.Run("param($BaseUri, $ApiKey) Get-TuZiModel gpt-image-1 -BaseUri $BaseUri -ApiKey $ApiKey | Out-Default", ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey)).ThrowIfFailed();

        string table = System.Text.RegularExpressions.Regex.Replace(engine.HostUI.Text, @"\x1b\[[0-9;]*m", "");
        Assert.Matches(@"Owner\s+Created\s+PriceUsd\s+Id", table);
        Assert.Matches(@"openai\s+\d{4}-\d{2}-\d{2}\s+0\.05\s+gpt-image-1", table);
    }

     [Fact]
    public async Task Stop_between_two_previews_returns_without_the_rest_and_leaves_no_file()
    {
        await using var engine = await EngineSession.StartAsync();
        // The first preview comes, and the service holds the rest until the test ends.
        engine.Server.EnqueueFault(new FaultSpec { HoldMidBody = "previews" });
        using var shell = engine.Create("New-TuZiImage 'a fox' -Model gpt-image-1 -PartialImages 3 -OutDirectory out");

        var running = shell.BeginInvoke();
        HangGuard.WaitUntil(() => engine.FilesOnDisk().Any(f => f.Contains(".partial-1.")), "the first preview to be saved");
        await Task.Run(shell.Stop).Within("Stop() while the service holds the other previews");

        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        // The request failed, so its preview goes too, as the worker unwinds.
        HangGuard.WaitUntil(() => engine.FilesOnDisk().Length == 0, "the preview to be removed");
    }

    [Fact]
    public async Task Get_TuZiModel_writes_verbose_on_the_pipeline_thread_and_stops_without_the_answer()
    {
        await using var engine = await EngineSession.StartAsync();

        var verbose = engine.Run("param($BaseUri, $ApiKey) Get-TuZiModel dall-e-3 -BaseUri $BaseUri -ApiKey $ApiKey -Verbose", ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey));

        verbose.ThrowIfFailed();
        Assert.Contains(verbose.Verbose, v => v.Contains("GET /v1/models") && v.Contains("attempt 1 of 3"));
        Assert.Contains(verbose.Verbose, v => v.Contains("reading the model list"));
        Assert.DoesNotContain(engine.ApiKey, verbose.AllText());

        engine.Server.EnqueueFault(new FaultSpec { Match = "/v1/models", Hold = "listing" });
        using var shell = engine.Create("param($BaseUri, $ApiKey) Get-TuZiModel -BaseUri $BaseUri -ApiKey $ApiKey", ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey));
        var running = shell.BeginInvoke();
        await engine.Server.Holds.WhenReachedAsync("listing").Within("the second listing to reach the service");
        await Task.Run(shell.Stop).Within("Stop() while the service holds the listing");

        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
    }
}
