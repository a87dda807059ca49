using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Net;
using System;
using TuZiImages.Core.Transport;

namespace TuZiImages.Core;

/// <summary>How to reach the service. Built from parameters, then the environment, then the defaults.</summary>
public sealed class TuZiClientOptions
{
    public const string ApiKeyVariable = "TUZI_API_KEY";
    public const string BaseUrlVariable = "TUZI_BASE_URL";
    /// <summary>The default model, as the service's own client reads it; -Model and $PSDefaultParameterValues come first.</summary>
    public const string ModelVariable = "TUZI_IMAGE_MODEL";
    public static readonly Uri DefaultBaseAddress = new("https://api.tu-zi.com/");
    public const string DefaultModel = "gemini-3-pro-image-preview";

    /// <summary>A 4K image can take several minutes; the .NET default of 100 s kills real jobs.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);
    public const int DefaultMaxRetries = 2;

    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>The bearer key. Never printed: <see cref="ToString"/> leaves it out.</summary>
    public string? ApiKey { get; set; }

    public string Model { get; set; } = DefaultModel;

    /// <summary>Time allowed for one attempt, from sending the request to the end of its answer; infinite allowed.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Attempts after the first one for failures that are safe to retry.</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>First backoff delay; each retry doubles it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest Retry-After the client honours; longer ones are cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long requests wait while the service answers every one of them with a rate-limit 429 and admits none;
    /// then the waiting requests end as RateLimit errors. Rate-limited retries are not counted against
    /// <see cref="MaxRetries"/>: a 429 means the service did no work.
    /// </summary>
    public TimeSpan RateLimitPatience { get; set; } = DefaultRateLimitPatience;
    public static readonly TimeSpan DefaultRateLimitPatience = TimeSpan.FromMinutes(5);

    /// <summary>Where the service's limits are kept: null for the process's one view (<see cref="RateLimits.RateGateRegistry.Process"/>); a test gives clients views of their own.</summary>
    internal RateLimits.RateGateRegistry? RateGates { get; set; }

    /// <summary>The most requests in flight to the service at once (-ThrottleLimit); the learned limit never exceeds it.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>
    /// The wait between polls of an async model's task. The service's own client polls every 5 s; the spacing grows
    /// slowly for long tasks (up to three times this), so a batch of them never hammers the service.
    /// </summary>
    public TimeSpan TaskPollInterval { get; set; } = DefaultTaskPollInterval;

    /// <summary>
    /// 5 s, as the service's own client. Settable within the process only so that engine tests, which build options
    /// through the cmdlets, need not wait 5 s per poll; nothing in the module changes it.
    /// </summary>
    internal static TimeSpan DefaultTaskPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one run waits for a task to finish, polls and pauses included (each poll is still bounded by
    /// <see cref="Timeout"/>). Past it the task is left pending, to be picked up later.
    /// </summary>
    public TimeSpan TaskTimeout { get; set; } = DefaultTaskTimeout;
    public static readonly TimeSpan DefaultTaskTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Send the key over plain http to a host that is not loopback.</summary>
    public bool AllowUnencryptedAuthentication { get; set; }

    /// <summary>The proxy for API requests and image downloads; the environment's by default.</summary>
    public ProxySettings Proxy { get; set; } = ProxySettings.Default;

    /// <summary>
    /// Extra headers for requests to the API (never to result hosts). Authorization is refused: the key goes
    /// only through <see cref="ApiKey"/>, so that it is redacted everywhere.
    /// </summary>
    public IDictionary<string, string> AdditionalHeaders { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers the client writes itself; one given again would corrupt the request.</summary>
    private static readonly string[] ReservedHeaders = { "Content-Type", "Content-Length", "Transfer-Encoding", "Host" };

    /// <summary>Options from TUZI_API_KEY, TUZI_BASE_URL and TUZI_IMAGE_MODEL, defaults for the rest.</summary>
    public static TuZiClientOptions FromEnvironment()
    {
        var options = new TuZiClientOptions
        {
            ApiKey = NullIfBlank(Environment.GetEnvironmentVariable(ApiKeyVariable)),
            Model = ModelFromEnvironment(),
        };
        string? baseUrl = NullIfBlank(Environment.GetEnvironmentVariable(BaseUrlVariable));
        if (baseUrl is not null)
        {
            options.BaseAddress = ParseBaseAddress(baseUrl, BaseUrlVariable);
        }
        return options;
    }

    /// <summary>$env:TUZI_IMAGE_MODEL when set, else <see cref="DefaultModel"/>.</summary>
    public static string ModelFromEnvironment() => NullIfBlank(Environment.GetEnvironmentVariable(ModelVariable)) ?? DefaultModel;

    /// <summary>Parses a base address given by a person, naming where it came from when it is unusable.</summary>
    public static Uri ParseBaseAddress(string value, string source)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration,
                $"The base address '{value}' from {source} is not an absolute http or https URL.")
            {
                Target = value,
                RecommendedAction = "Give the service's address, for example https://api.tu-zi.com.",
            };
        }
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration,
                $"The base address '{value}' from {source} has a query or fragment; give only scheme, host, port and path.")
            {
                Target = value,
            };
        }
        return uri;
    }

    /// <summary>Throws a Configuration error for anything that makes a request impossible or unsafe.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, $"No API key was given: set $env:{ApiKeyVariable} or pass -ApiKey.");
        }
        if (ApiKey!.IndexOfAny(new[] { '\r', '\n' }) >= 0)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, "The API key contains a line break.")
            {
                RecommendedAction = "Remove the line break; a key read from a file often ends with one.",
            };
        }
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, "No model was given.");
        }
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The timeout must be positive; it is {Timeout}.");
        }
        if (MaxRetries < 0)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The retry count must be 0 or more; it is {MaxRetries}.");
        }
        if (RateLimitPatience <= TimeSpan.Zero)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The rate-limit patience must be positive; it is {RateLimitPatience}.");
        }
        if (TaskPollInterval <= TimeSpan.Zero)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The task poll interval must be positive; it is {TaskPollInterval}.");
        }
        if (TaskTimeout <= TimeSpan.Zero)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The total wait for a task must be positive; it is {TaskTimeout}.");
        }
        if (MaxConcurrency < 1)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The concurrency limit must be at least 1; it is {MaxConcurrency}.");
        }
        ValidateHeaders();
        (Proxy ?? ProxySettings.Default).Validate();
        if (BaseAddress.Scheme == Uri.UriSchemeHttp && !AllowUnencryptedAuthentication && (Proxy ?? ProxySettings.Default).ProxyFor(BaseAddress) is { } proxy)
        {
            // Over https the key passes the proxy inside an encrypted CONNECT tunnel; over http the proxy reads it.
            throw new TuZiImagesException(TuZiErrorKind.Configuration,
                $"The base address {BaseAddress} is plain http and requests to it go through the proxy {ProxySettings.Describe(proxy)}: the proxy would read the API key.")
            {
                Target = BaseAddress.ToString(),
                RecommendedAction = "Use https (the key then passes the proxy encrypted), -NoProxy, or -AllowUnencryptedAuthentication if you trust the proxy.",
            };
        }
        if (BaseAddress.Scheme == Uri.UriSchemeHttp && !AllowUnencryptedAuthentication && !IsLoopback(BaseAddress))
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration,
                $"The base address {BaseAddress} is plain http: the API key would cross the network unencrypted.")
            {
                Target = BaseAddress.ToString(),
                RecommendedAction = "Use https, or allow unencrypted authentication explicitly if you trust the network.",
            };
        }
    }

    private void ValidateHeaders()
    {
        foreach (var header in AdditionalHeaders ?? new Dictionary<string, string>())
        {
            string name = header.Key?.Trim() ?? "";
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            {
                throw new TuZiImagesException(TuZiErrorKind.Configuration,
                    $"-Header may not set {name}: the key is sent only from -ApiKey or $env:{ApiKeyVariable}, so that it never shows in output or logs.")
                {
                    Target = name, RecommendedAction = "Remove it from -Header and give the key with -ApiKey.",
                };
            }
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".IndexOf(c) >= 0))
            {
                throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The header name '{name}' given to -Header is not a valid HTTP header name.") { Target = name };
            }
            if (ReservedHeaders.Any(r => r.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new TuZiImagesException(TuZiErrorKind.Configuration, $"-Header may not set {name}: the module writes it from the request itself.") { Target = name };
            }
            if ((header.Value ?? "").IndexOfAny(new[] { '\r', '\n' }) >= 0)
            {
                throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The value of the header {name} given to -Header contains a line break.") { Target = name };
            }
            // HttpClient sends header values as ASCII only and fails each attempt otherwise, as if the host were unreachable.
            if ((header.Value ?? "").Any(c => c > '~'))
            {
                throw new TuZiImagesException(TuZiErrorKind.Configuration, $"The value of the header {name} given to -Header has characters that are not ASCII, which HTTP headers cannot carry.")
                {
                    Target = name, RecommendedAction = "Give the value in ASCII; text in other scripts can go percent-encoded ([uri]::EscapeDataString(...)).",
                };
            }
        }
    }

    internal static bool IsLoopback(Uri uri)
    {
        if (uri.IsLoopback)
        {
            return true;
        }
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
            && (IPAddress.IsLoopback(address) || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Loopback)));
    }

    public TuZiClientOptions Clone() => (TuZiClientOptions)MemberwiseClone();

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    public override string ToString() =>
        $"BaseAddress={BaseAddress}, Model={Model}, Timeout={Timeout}, MaxRetries={MaxRetries}, Proxy={Proxy}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "(set)")}";
}
