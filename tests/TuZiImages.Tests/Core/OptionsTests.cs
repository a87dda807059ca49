using System;
using TuZiImages.Core.Requests;
using TuZiImages.Core;

namespace TuZiImages.Tests.Core;

public class OptionsTests
{
    private const string Key = "sk-test-0123456789abcdef";

    [Fact]
    public void Defaults_suit_slow_4k_jobs()
    {
        var options = new TuZiClientOptions();
        Assert.Equal(new Uri("https://api.tu-zi.com/"), options.BaseAddress);
        Assert.Equal("gemini-3-pro-image-preview", options.Model);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Timeout);
        Assert.Equal(2, options.MaxRetries);
    }

    [Fact]
    public void No_key_is_a_configuration_error_that_says_how_to_fix_it()
    {
        var e = Assert.Throws<TuZiImagesException>(new TuZiClientOptions().Validate);
        Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
        Assert.Contains("set $env:TUZI_API_KEY or pass -ApiKey", e.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("https://api.example.com", true)]
    [InlineData("http://api.example.com", false)]
    [InlineData("http://10.0.0.5", false)]
    public void The_key_goes_over_plain_http_only_to_loopback_unless_allowed(string address, bool allowed)
    {
        var options = new TuZiClientOptions { ApiKey = Key, BaseAddress = new Uri(address) };
        if (allowed)
        {
            options.Validate();
        }
        else
        {
            var e = Assert.Throws<TuZiImagesException>(options.Validate);
            Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
            Assert.DoesNotContain(Key, e.Message);
            options.AllowUnencryptedAuthentication = true;
            options.Validate();
        }
    }

    [Theory]
    [InlineData("api.tu-zi.com")]
    [InlineData("ftp://api.tu-zi.com")]
    [InlineData("https://api.tu-zi.com/?x=1")]
    public void A_malformed_base_address_is_named_with_where_it_came_from(string value)
    {
        var e = Assert.Throws<TuZiImagesException>(() => TuZiClientOptions.ParseBaseAddress(value, "TUZI_BASE_URL"));
        Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
        Assert.Contains(value, e.Message);
        Assert.Contains("TUZI_BASE_URL", e.Message);
    }

    [Fact]
    public void Printing_options_never_shows_the_key()
    {
        Assert.DoesNotContain(Key, new TuZiClientOptions { ApiKey = Key }.ToString());
    }

    [Theory]
    [InlineData("https://api.tu-zi.com", "https://api.tu-zi.com/v1/images/edits")]
    [InlineData("https://proxy.example/tuzi/", "https://proxy.example/tuzi/v1/images/edits")]
    [InlineData("https://proxy.example/v1", "https://proxy.example/v1/images/edits")]
    public void Endpoints_hang_off_the_base_address(string baseAddress, string endpoint)
    {
        var client = new TuZiImagesClient(new TuZiClientOptions { ApiKey = Key, BaseAddress = new Uri(baseAddress) });
        Assert.Equal(new Uri(endpoint), client.EndpointFor(new EditRequest()));
    }
}

[Collection(nameof(EnvironmentVariables))]
public class EnvironmentOptionsTests
{
    [Fact]
    public void Key_and_base_address_come_from_the_environment()
    {
        using var key = new EnvironmentVariables("TUZI_API_KEY", " sk-env ");
        using var url = new EnvironmentVariables("TUZI_BASE_URL", "http://127.0.0.1:9999");

        var options = TuZiClientOptions.FromEnvironment();

        Assert.Equal("sk-env", options.ApiKey);
        Assert.Equal(new Uri("http://127.0.0.1:9999/"), options.BaseAddress);
    }

    [Fact]
    public void A_bad_base_address_in_the_environment_names_the_variable()
    {
        using var url = new EnvironmentVariables("TUZI_BASE_URL", "not a url");
        var e = Assert.Throws<TuZiImagesException>(() => TuZiClientOptions.FromEnvironment());
        Assert.Contains("TUZI_BASE_URL", e.Message);
    }
}

/// <summary>Sets a variable for one test and restores it; tests that use it run one at a time.</summary>
[CollectionDefinition(nameof(EnvironmentVariables), DisableParallelization = true)]
public sealed class EnvironmentVariables : IDisposable
{
    private readonly string _name = "";
    private readonly string? _previous;

    public EnvironmentVariables()
    {
    }

    public EnvironmentVariables(string name, string? value)
    {
        _name = name;
        _previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        if (_name.Length > 0)
        {
            Environment.SetEnvironmentVariable(_name, _previous);
        }
    }
}
