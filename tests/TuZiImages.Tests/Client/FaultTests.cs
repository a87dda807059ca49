using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>What the real service and its gateways do wrong, and what the client makes of it.</summary>
public class FaultTests
{
    private static GenerationRequest Fox() => new() { Prompt = "a red fox", [BodyFields.ResponseFormat] = "b64_json" };

    private static async Task<TuZiImagesException> Fails(ClientHarness h, Action<TuZiClientOptions>? options = null, GenerationRequest? request = null)
    {
        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client(options).GenerateAsync(request ?? Fox(), h.SaveHere()).Within("the failing call"));
        Assert.Empty(h.Folder.FileNames()); // nothing half-written, no temporary file left behind
        Assert.DoesNotContain(ClientHarness.ApiKey, e.ToString());
        return e;
    }

    [Theory]
    [InlineData(400, TuZiErrorKind.BadRequest)]
    [InlineData(401, TuZiErrorKind.Authentication)]
    [InlineData(403, TuZiErrorKind.PermissionOrQuota)]
    [InlineData(404, TuZiErrorKind.BadRequest)]
    public async Task Client_errors_are_never_retried(int status, TuZiErrorKind kind)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = status, Message = "said the server", RequestId = "req-77", Times = 0 });

        var e = await Fails(h);

        Assert.Equal(kind, e.Kind);
        Assert.Equal(status, e.StatusCode);
        Assert.Equal("said the server", e.ServerMessage);
        Assert.Contains("said the server", e.Message);
        Assert.Equal("req-77", e.RequestId);
        Assert.Equal(1, e.Attempts);
        Assert.Single(h.Server.Requests);
        Assert.NotNull(e.RecommendedAction);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Transient_failures_are_retried_until_one_succeeds(int status)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = status, Times = 2 });

        var response = await h.Client().GenerateAsync(Fox(), h.SaveHere());

        Assert.Equal(3, response.Attempts);
        Assert.Equal(3, h.Server.Requests.Count);
        Assert.Single(response.Images);
        Assert.Contains(h.Log, line => line.Contains($"HTTP {status}; retrying"));
    }

    [Fact]
    public async Task Retries_stop_at_the_limit_with_the_last_error()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 503, Times = 0, Message = "overloaded" });

        var e = await Fails(h, o => o.MaxRetries = 3);

        Assert.Equal(TuZiErrorKind.Server, e.Kind);
        Assert.Equal(4, e.Attempts);
        Assert.Equal(4, h.Server.Requests.Count);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 429, RetryAfter = "1" });

        var response = await h.Client().GenerateAsync(Fox(), h.SaveHere());

        Assert.Equal(2, response.Attempts);
        var requests = h.Server.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900),
            $"the retry came {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms after the 429");
    }

    [Fact]
    public async Task A_retry_after_date_is_honoured_and_capped()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 503, RetryAfter = DateTimeOffset.UtcNow.AddHours(1).ToString("R") });

        await h.Client(o => o.MaxRetryAfter = TimeSpan.FromMilliseconds(300)).GenerateAsync(Fox(), h.SaveHere());

        // The wait decided, from the client's own words; how long the machine took on top of it is not asserted.
        Assert.Contains(h.Log, l => l.Contains("HTTP 503; retrying in 0.3 s"));
        var requests = h.Server.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task A_gateway_html_page_becomes_a_short_server_error()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 502, Html = true, Times = 0 });

        var e = await Fails(h, o => o.MaxRetries = 0);

        Assert.Equal(TuZiErrorKind.Server, e.Kind);
        Assert.Contains("502 Bad Gateway", e.ServerMessage);
        Assert.DoesNotContain("<", e.Message);
    }

    [Fact]
    public async Task Quota_spent_is_not_retried_even_as_429()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 429, Body = "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\"}}", ContentType = "application/json", Times = 0 });

        var e = await Fails(h);

        Assert.Equal(TuZiErrorKind.PermissionOrQuota, e.Kind);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task A_connection_that_cannot_be_made_ends_as_a_network_error_after_the_retries()
    {
        await using var h = await ClientHarness.StartAsync();
        // Nothing listens there: the connection is refused before anything is sent, so every retry is safe.
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var e = await Fails(h, o => { o.BaseAddress = new Uri($"http://127.0.0.1:{port}/"); o.RetryBaseDelay = TimeSpan.FromMilliseconds(1); });

        Assert.Equal(TuZiErrorKind.Network, e.Kind);
        Assert.Equal(3, e.Attempts);
        Assert.False(e.MayHaveBeenBilled);
    }

    [Fact]
    public async Task A_truncated_answer_is_an_error_that_leaves_no_file()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Truncate = true, PayloadBytes = 200_000 });

        var e = await Fails(h);

        Assert.Equal(TuZiErrorKind.Network, e.Kind);
        Assert.Contains("broke while the answer was being read", e.Message);
    }

    [Theory]
    [InlineData("empty-data", TuZiErrorKind.NoImage)]
    [InlineData("empty-url", TuZiErrorKind.NoImage)]
    [InlineData("NO_IMAGE", TuZiErrorKind.ContentRefused)]
    [InlineData("blocked: PROHIBITED_CONTENT", TuZiErrorKind.ContentRefused)]
    public async Task A_success_status_without_an_image_is_a_failure_of_its_own_kind(string fault, TuZiErrorKind kind)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(fault switch
        {
            "empty-data" => new FaultSpec { EmptyData = true },
            "empty-url" => new FaultSpec { EmptyUrl = true },
            _ => new FaultSpec { RevisedPrompt = fault, NoImageData = fault == "NO_IMAGE" },
        });

        // An empty url needs a url answer; the others come as bytes.
        var e = await Fails(h, request: new GenerationRequest { Prompt = "a red fox", [BodyFields.ResponseFormat] = fault == "empty-url" ? "url" : "b64_json" });

        Assert.Equal(kind, e.Kind);
        Assert.Equal(200, e.StatusCode);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task A_server_that_echoes_the_key_does_not_get_it_into_the_error()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 401, EchoApiKey = true });

        var e = await Fails(h);

        Assert.Contains("***", e.ServerMessage);
        Assert.DoesNotContain(ClientHarness.ApiKey, e.ServerMessage);
        Assert.DoesNotContain(h.Log, line => line.Contains(ClientHarness.ApiKey));
    }

    [Theory]
    [InlineData("result")] // answers 404: the error names the URL
    [InlineData("closed")] // refuses the connection: retried, and each retry is logged with the URL
    public async Task A_result_url_that_carries_the_key_does_not_get_it_into_the_error_or_the_log(string host)
    {
        await using var h = await ClientHarness.StartAsync();
        string origin = host == "result" ? h.Server.ResultBaseAddress.ToString().TrimEnd('/') : "http://127.0.0.1:1";
        string url = origin + "/nothing-here.png?token=" + ClientHarness.ApiKey;
        h.Server.EnqueueFault(new FaultSpec { Body = "{\"created\":1,\"data\":[{\"url\":\"" + url + "\"}]}" });

        var e = await Fails(h);

        Assert.Contains("token=***", e.Message);
        Assert.DoesNotContain(h.Log, line => line.Contains(ClientHarness.ApiKey));
        Assert.DoesNotContain(ClientHarness.ApiKey, e.Target ?? "");
    }

    [Theory]
    [InlineData("http://" + ClientHarness.ApiKey + "@127.0.0.1:1/steal", "a redirect to http://127.0.0.1:1.")]
    [InlineData("/v2/images/generations", "a redirect.")] // relative: no other host is named
    public async Task A_redirect_is_a_configuration_error_whose_message_carries_no_key(string location, string said)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 307, Location = location });

        var e = await Fails(h);

        Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
        Assert.Contains(said, e.Message);
    }

    [Fact]
    public async Task A_request_id_that_echoes_the_key_is_redacted_in_the_result_and_the_log()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { RequestId = "req-" + ClientHarness.ApiKey });

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), h.SaveHere())).Images);

        Assert.Equal("req-***", image.RequestId);
        Assert.DoesNotContain(h.Log, line => line.Contains(ClientHarness.ApiKey));
    }

    [Fact]
    public async Task A_revised_prompt_that_echoes_the_key_is_redacted_in_the_result()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { RevisedPrompt = "a red fox; key " + ClientHarness.ApiKey });

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), h.SaveHere())).Images);

        Assert.Equal("a red fox; key ***", image.RevisedPrompt);
    }

    [Fact]
    public async Task An_error_type_and_code_that_echo_the_key_are_redacted()
    {
        await using var h = await ClientHarness.StartAsync();
        string key = ClientHarness.ApiKey;
        h.Server.EnqueueFault(new FaultSpec { Status = 400, Body = "{\"error\":{\"message\":\"bad\",\"type\":\"t-" + key + "\",\"code\":\"c-" + key + "\"}}" });

        var e = await Fails(h);

        Assert.Equal("t-***", e.ServerErrorType);
        Assert.Equal("c-***", e.ServerErrorCode);
    }

    [Fact]
    public async Task A_redirect_from_the_api_is_not_followed()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 307, Location = h.Server.ResultBaseAddress + "steal", Times = 0 });

        var e = await Fails(h);

        Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
        Assert.Empty(h.Server.Downloads); // the other origin never saw the request, let alone the key
    }

    [Fact]
    public async Task A_wrong_key_is_refused_by_the_server_as_authentication()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { ExpectedApiKey = "the-right-key" });

        var e = await Fails(h);

        Assert.Equal(TuZiErrorKind.Authentication, e.Kind);
        Assert.Contains("TUZI_API_KEY", e.RecommendedAction);
    }

    [Fact]
    public async Task A_retried_edit_sends_its_files_whole_again()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 503 });
        string image = TestImages.WritePng(h.Folder.Path, "in.png", 300, 200);
        var request = new EditRequest { Prompt = "retry me", [BodyFields.ResponseFormat] = "b64_json" };
        request.Images.Add(InputImage.FromFile(image));

        await h.Client().EditAsync(request, h.SaveHere());

        Assert.Equal(2, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, r => Assert.Equal(ClientHarness.Sha256(image), Assert.Single(r.Files).Sha256));
    }

    [Fact]
    public async Task Verbose_lines_tell_endpoint_model_attempt_and_request_id_but_never_the_key()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { RequestId = "req-abc" });

        await h.Client().GenerateAsync(Fox(), h.SaveHere());

        Assert.Contains(h.Log, l => l.Contains("POST /v1/images/generations") && l.Contains("gemini-3-pro-image-preview") && l.Contains("attempt 1 of 3"));
        Assert.Contains(h.Log, l => l.Contains("request id req-abc"));
        Assert.DoesNotContain(h.Log, l => l.Contains(ClientHarness.ApiKey));
    }
}
