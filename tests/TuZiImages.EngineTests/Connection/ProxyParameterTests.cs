using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.TestServer;
using TuZiImages.TestServer.Proxy;

namespace TuZiImages.EngineTests.Connection;

/// <summary>
/// -Proxy, -ProxyCredential, -ProxyUseDefaultCredentials and -NoProxy as a script uses them, against a forward
/// proxy on loopback that counts what it saw. The fake service is plain http on loopback, so reaching it through
/// a proxy needs -AllowUnencryptedAuthentication: without it the proxy would read the key.
/// </summary>
[Trait("Category", "Engine")]
public sealed class ProxyParameterTests
{
    [Fact]
    public async Task New_TuZiImage_goes_through_the_proxy_for_the_API_and_the_download_and_only_the_API_request_has_the_key()
    {
        await using var engine = await EngineSession.StartAsync();
        await using var proxy = new LoopbackForwardProxy(engine.ApiKey);

        var run = engine.Run("param($Proxy) New-TuZiImage 'a red fox' -ResponseFormat url -OutDirectory out -Proxy $Proxy -AllowUnencryptedAuthentication",
            ("Proxy", proxy.Address.ToString())).ThrowIfFailed();

        Assert.Single(run.Results);
        var api = Assert.Single(proxy.Requests, r => r.Host == engine.Server.ApiBaseAddress.Authority);
        Assert.True(api.AuthorizationInClear);
        var download = Assert.Single(proxy.Requests, r => r.Host == engine.Server.ResultBaseAddress.Authority);
        Assert.False(download.AuthorizationInClear);
        Assert.DoesNotContain(engine.ApiKey, run.AllText());
    }

    [Fact]
    public async Task Without_AllowUnencryptedAuthentication_a_plain_http_address_behind_the_proxy_is_refused_and_nothing_is_sent()
    {
        await using var engine = await EngineSession.StartAsync();
        await using var proxy = new LoopbackForwardProxy(engine.ApiKey);

        var run = engine.Run("param($Proxy) New-TuZiImage 'a red fox' -Proxy $Proxy", ("Proxy", proxy.Address.ToString()));

        var error = StoppingError(run);
        Assert.StartsWith("TuZiImages.InvalidConfiguration", error.FullyQualifiedErrorId);
        Assert.Contains("the proxy would read the API key", error.ToString());
        Assert.Empty(proxy.Requests);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task Get_TuZiModel_takes_the_same_proxy_parameters()
    {
        await using var engine = await EngineSession.StartAsync();
        await using var proxy = new LoopbackForwardProxy(engine.ApiKey);

        var run = engine.Run("param($BaseUri, $ApiKey, $Proxy) Get-TuZiModel gpt-image-1 -BaseUri $BaseUri -ApiKey $ApiKey -Proxy $Proxy -AllowUnencryptedAuthentication",
            ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey), ("Proxy", proxy.Address.ToString())).ThrowIfFailed();

        Assert.Equal("gpt-image-1", Assert.Single(run.Output).Prop<string>("Id"));
        // The listing and the price list both go through the proxy; the price list without the key.
        var listing = Assert.Single(proxy.Requests, r => r.Target.EndsWith("/v1/models"));
        Assert.Equal("GET", listing.Method);
        var pricing = Assert.Single(proxy.Requests, r => r.Target.EndsWith("/api/pricing"));
        Assert.False(pricing.AuthorizationInClear);
        Assert.Equal(2, proxy.Requests.Count);
    }

    [Fact]
    public async Task A_proxy_asking_for_credentials_is_answered_with_ProxyCredential_and_named_in_the_error_without_them()
    {
        await using var engine = await EngineSession.StartAsync();
        await using var proxy = new LoopbackForwardProxy(engine.ApiKey) { RequiredCredential = "alice:s3cret" };

        var refused = engine.Run("param($Proxy) New-TuZiImage 'a red fox' -ResponseFormat b64_json -Proxy $Proxy -AllowUnencryptedAuthentication",
            ("Proxy", proxy.Address.ToString()));
        var allowed = engine.Run("""
            param($Proxy)
            $credential = [pscredential]::new('alice', [System.Net.NetworkCredential]::new('', 's3cret').SecurePassword)
            New-TuZiImage 'a red fox' -ResponseFormat b64_json -Proxy $Proxy -ProxyCredential $credential -AllowUnencryptedAuthentication
            """, ("Proxy", proxy.Address.ToString()));

        var error = Assert.Single(refused.Errors);
        Assert.StartsWith("TuZiImages.AuthenticationFailed", error.FullyQualifiedErrorId);
        Assert.Contains("-ProxyCredential", error.ErrorDetails!.RecommendedAction);
        allowed.ThrowIfFailed();
        Assert.Single(allowed.Results);
        Assert.Single(engine.Server.Requests);
        Assert.DoesNotContain("s3cret", refused.AllText() + allowed.AllText());
    }

    [Theory]
    [InlineData("New-TuZiImage 'fox'", "-ProxyCredential $c -ProxyUseDefaultCredentials -Proxy http://proxy.example.test:8080", "-ProxyCredential and -ProxyUseDefaultCredentials")]
    [InlineData("Edit-TuZiImage -Prompt 'fix' -Path x.png", "-ProxyCredential $c", "-ProxyCredential is given without -Proxy")]
    [InlineData("Get-TuZiModel", "-ProxyUseDefaultCredentials", "-ProxyUseDefaultCredentials is given without -Proxy")]
    [InlineData("Get-TuZiModel", "-NoProxy -Proxy http://proxy.example.test:8080", "-NoProxy cannot be combined with -Proxy")]
    [InlineData("New-TuZiImage 'fox'", "-Proxy proxy.example.test:8080", "is not an absolute http, https or socks URL")]
    public async Task Contradicting_proxy_parameters_stop_the_command_before_anything_is_sent(string command, string parameters, string message)
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("x.png");

        var run = engine.Run("""
            $c = [pscredential]::new('alice', [System.Net.NetworkCredential]::new('', 'pw').SecurePassword)
            """ + "\n" + command + " " + parameters);

        var error = StoppingError(run);
        Assert.StartsWith("TuZiImages.InvalidConfiguration", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.ToString());
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task A_null_or_empty_proxy_is_refused_before_anything_is_sent()
    {
        await using var engine = await EngineSession.StartAsync();

        var nullProxy = engine.Run("New-TuZiImage 'fox' -Proxy $null");
        var emptyProxy = engine.Run("New-TuZiImage 'fox' -Proxy ''");

        // As Invoke-RestMethod's [ValidateNotNullOrEmpty] refuses $null; '' becomes a relative Uri, which is no proxy.
        Assert.StartsWith("ParameterArgumentValidationError", StoppingError(nullProxy).FullyQualifiedErrorId);
        Assert.Contains("is not an absolute http, https or socks URL", StoppingError(emptyProxy).ToString());
        Assert.Empty(engine.Server.Requests);
    }

    // A cmdlet's terminating error stops its statement; the script goes on and the record is in the error stream.
    private static ErrorRecord StoppingError(EngineRun run) => run.TerminatingRecord ?? Assert.Single(run.Errors);

 }

/// <summary>
/// What a short test key did to messages: "The service refused the API ***ey ... Invalid to***en". A real-length
/// key echoed by the service is still removed everywhere: see ApiKeyTests.
/// </summary>
[Trait("Category", "Engine")]
public sealed class ShortKeyMessageTests
{
    [Fact]
    public async Task A_one_letter_key_leaves_the_401_message_readable()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions { ExpectedApiKey = "sk-the-real-key-0123456789abcdef" });

        var run = engine.Run("New-TuZiImage 'a red fox' -ApiKey k -MaxRetryCount 0");

        var error = Assert.Single(run.Errors);
        Assert.StartsWith("TuZiImages.AuthenticationFailed", error.FullyQualifiedErrorId);
        Assert.Contains("The service refused the API key (HTTP 401", error.ToString());
        Assert.Contains("Incorrect API key provided.", error.ToString());
        Assert.DoesNotContain("***", run.AllText());
    }
}

/// <summary>Two cmdlets in one pipeline each have a progress bar of their own.</summary>
[Trait("Category", "Engine")]
public sealed class ProgressIdEngineTests
{
    [Fact]
    public async Task New_and_Edit_in_one_pipeline_report_progress_under_different_ids()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("New-TuZiImage 'a red fox' -ResponseFormat b64_json | Edit-TuZiImage -Prompt 'add snow' -ResponseFormat b64_json").ThrowIfFailed();

        var ids = run.Progress.GroupBy(p => p.Activity).ToDictionary(g => g.Key, g => g.Select(p => p.ActivityId).Distinct().Single());
        Assert.Equal(new[] { "Edit-TuZiImage", "New-TuZiImage" }, ids.Keys.OrderBy(k => k));
        Assert.NotEqual(ids["New-TuZiImage"], ids["Edit-TuZiImage"]);
    }
}
