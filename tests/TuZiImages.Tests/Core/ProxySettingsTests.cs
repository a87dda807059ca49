using System.Net;
using System;
using TuZiImages.Core.Transport;
using TuZiImages.Core;

namespace TuZiImages.Tests.Core;

/// <summary>The proxy parameters' rules, as Invoke-RestMethod has them, without PowerShell.</summary>
public class ProxySettingsTests
{
    private static readonly Uri Corporate = new("http://proxy.example.test:8080/");

    [Fact]
    public void Credentials_and_default_credentials_together_are_refused_as_Invoke_RestMethod_refuses_them()
    {
        var e = Assert.Throws<TuZiImagesException>(() => new ProxySettings
        {
            Address = Corporate, Credential = new NetworkCredential("alice", "pw"), UseDefaultCredentials = true,
        }.Validate());

        Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
        Assert.Contains("-ProxyCredential and -ProxyUseDefaultCredentials", e.Message);
        Assert.Contains("either", e.RecommendedAction);
    }

    [Theory]
    [InlineData(true, false, "-ProxyCredential")]
    [InlineData(false, true, "-ProxyUseDefaultCredentials")]
    public void Credentials_without_a_proxy_are_refused_naming_the_one_given(bool credential, bool defaults, string named)
    {
        var e = Assert.Throws<TuZiImagesException>(() => new ProxySettings
        {
            Credential = credential ? new NetworkCredential("alice", "pw") : null, UseDefaultCredentials = defaults,
        }.Validate());

        Assert.StartsWith(named + " is given without -Proxy", e.Message);
        Assert.Contains("-Proxy", e.RecommendedAction);
    }

    [Fact]
    public void NoProxy_with_a_proxy_is_a_contradiction()
    {
        var e = Assert.Throws<TuZiImagesException>(() => new ProxySettings { Address = Corporate, Disabled = true }.Validate());
        Assert.Contains("-NoProxy cannot be combined with -Proxy", e.Message);
    }

    [Theory]
    [InlineData("proxy.example.test:8080")]   // parses as scheme "proxy.example.test"
    [InlineData("ftp://proxy.example.test/")]
    public void An_address_that_is_not_a_proxy_URL_is_refused_with_an_example(string address)
    {
        var e = Assert.Throws<TuZiImagesException>(() => new ProxySettings { Address = new Uri(address) }.Validate());
        Assert.Contains("-Proxy http://", e.RecommendedAction);
    }

    [Fact]
    public void A_proxy_named_with_a_password_in_it_is_named_without_it()
    {
        var e = Assert.Throws<TuZiImagesException>(() => new ProxySettings { Address = new Uri("ftp://alice:hunter22@proxy.example.test/") }.Validate());
        Assert.DoesNotContain("hunter22", e.Message);
        Assert.Equal("http://proxy.example.test:3128", ProxySettings.Describe(new Uri("http://alice:hunter22@proxy.example.test:3128/path")));
    }

    [Fact]
    public void An_explicit_proxy_carries_loopback_requests_too_and_NoProxy_carries_none()
    {
        var loopback = new Uri("http://127.0.0.1:5000/");
        Assert.Equal(Corporate, new ProxySettings { Address = Corporate }.ProxyFor(loopback));
        Assert.Null(new ProxySettings { Disabled = true }.ProxyFor(loopback));
    }

    [Fact]
    public void A_plain_http_API_through_a_proxy_needs_unencrypted_authentication_allowed_even_on_loopback()
    {
        var options = new TuZiClientOptions { ApiKey = "sk-test-0123456789abcdef", BaseAddress = new Uri("http://127.0.0.1:5000/"), Proxy = new ProxySettings { Address = Corporate } };

        var e = Assert.Throws<TuZiImagesException>(options.Validate);
        Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
        Assert.Contains("proxy http://proxy.example.test:8080", e.Message);
        Assert.Contains("would read the API key", e.Message);
        Assert.Contains("-AllowUnencryptedAuthentication", e.RecommendedAction);

        options.AllowUnencryptedAuthentication = true;
        options.Validate();
        options.AllowUnencryptedAuthentication = false;
        options.BaseAddress = new Uri("https://api.example.test/");
        options.Validate();
    }

    [Fact]
    public void The_options_name_the_proxy_but_not_its_credential()
    {
        var options = new TuZiClientOptions { Proxy = new ProxySettings { Address = Corporate, Credential = new NetworkCredential("alice", "hunter22") } };
        Assert.Contains("Proxy=http://proxy.example.test:8080 with a credential", options.ToString());
        Assert.DoesNotContain("hunter22", options.ToString());
        Assert.DoesNotContain("hunter22", new ProxySettings { Address = Corporate, Credential = new NetworkCredential("alice", "hunter22") }.PoolKey);
    }
}
