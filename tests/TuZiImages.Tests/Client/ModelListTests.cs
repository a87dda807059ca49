using System.Linq;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Models;
using TuZiImages.Core.Requests;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>GET /v1/models through the same key, address, retries and errors as the image requests.</summary>
public class ModelListTests
{
    [Fact]
    public async Task The_models_of_the_key_are_listed_and_remembered_for_completion()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { Models = { "seedream-x" } });

        var models = await h.Client().ListModelsAsync();

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/v1/models", sent.Path);
        Assert.Equal("Bearer " + ClientHarness.ApiKey, sent.Header("Authorization"));
        Assert.Equal(h.Server.Options.Models, models.Select(m => m.Id));
        var gpt = models.Single(m => m.Id == "gpt-image-1");
        Assert.Equal("openai", gpt.Owner);
        Assert.NotNull(gpt.Created);
        Assert.Contains("image-generation", gpt.EndpointTypes);
        // created 0 is no date.
        Assert.Null(models.Single(m => m.Id == "gemini-3-pro-image-preview").Created);
        Assert.Equal(models.Select(m => m.Id), ModelCatalog.For(h.Server.ApiBaseAddress));
        Assert.Equal(models.Select(m => m.Id), ModelCatalog.For(new Uri(h.Server.ApiBaseAddress, "v1")));
    }

    [Fact]
    public async Task A_base_address_ending_in_v1_is_not_doubled()
    {
        await using var h = await ClientHarness.StartAsync();

        await h.Client(o => o.BaseAddress = new Uri(h.Server.ApiBaseAddress, "v1/")).ListModelsAsync();

        Assert.Equal("/v1/models", Assert.Single(h.Server.Requests).Path);
    }

    [Fact]
    public async Task A_wrong_key_is_an_authentication_error_that_never_shows_the_key()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { ExpectedApiKey = "sk-the-right-one" });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().ListModelsAsync());

        Assert.Equal(TuZiErrorKind.Authentication, e.Kind);
        Assert.Equal(401, e.StatusCode);
        Assert.DoesNotContain(ClientHarness.ApiKey, e.Message);
        Assert.Single(h.Server.Requests); // a 401 is not retried
    }

    [Fact]
    public async Task A_failing_gateway_is_retried_like_an_image_request()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Match = "/v1/models", Status = 502, Times = 2 });

        var models = await h.Client().ListModelsAsync();

        Assert.NotEmpty(models);
        Assert.Equal(new[] { "502", "502", "200" }, h.Server.Requests.Select(r => r.Outcome).ToArray());
        Assert.Contains(h.Log, line => line.Contains("GET /v1/models") && line.Contains("attempt 3 of 3"));
    }

    [Fact]
    public async Task A_list_that_does_not_come_in_time_is_a_timeout_that_says_no_answer_came()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Match = "/v1/models", Hold = "never" });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() =>
            h.Client(o => { o.Timeout = TimeSpan.FromMilliseconds(300); o.MaxRetries = 0; }).ListModelsAsync());

        Assert.Equal(TuZiErrorKind.Timeout, e.Kind);
        Assert.Contains("No answer within 0.3 s", e.Message); // a GET has no body that "could not be sent"
        Assert.False(e.MayHaveBeenBilled);
    }

    [Fact]
    public async Task An_answer_that_is_not_a_model_list_is_a_malformed_answer()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Match = "/v1/models", Body = "<html>login</html>", ContentType = "text/html" });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().ListModelsAsync());

        Assert.Equal(TuZiErrorKind.MalformedResponse, e.Kind);
        Assert.Contains("not valid JSON", e.Message);
        Assert.False(e.MayHaveBeenBilled); // a list makes nothing
    }

    [Fact]
    public async Task A_model_outside_the_keys_group_is_not_retried_and_points_to_Get_TuZiModel()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 503, Times = 0, Message = "当前分组 default 下对于模型 gpt-image-2 无可用渠道" });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() =>
            h.Client().GenerateAsync(new GenerationRequest { Prompt = "a fox", Model = "gpt-image-2" }, h.SaveHere()));

        Assert.Equal(TuZiErrorKind.PermissionOrQuota, e.Kind);
        Assert.Contains("'gpt-image-2'", e.Message);
        Assert.Contains("Get-TuZiModel", e.RecommendedAction);
        Assert.Single(h.Server.Requests);
    }
}
