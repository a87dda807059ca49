namespace TuZiImages.TestServer;

public sealed class FakeServerOptions
{
    /// <summary>Port of the API origin on 127.0.0.1; 0 picks a free one.</summary>
    public int ApiPort { get; set; }

    /// <summary>Port of the result origin (where url results are downloaded from) on 127.0.0.1; 0 picks a free one.</summary>
    public int ResultPort { get; set; }

    /// <summary>The only bearer key accepted; null accepts any non-empty key.</summary>
    public string? ExpectedApiKey { get; set; }

    /// <summary>Added to every images request before it is answered; ends early if the client aborts.</summary>
    public int LatencyMs { get; set; }

    /// <summary>How long a task of the async models (POST /v1/videos) takes from submission to completed.</summary>
    public int TaskDurationMs { get; set; } = 1000;

    /// <summary>Start in this rate-limit mode (a service that admits at most K requests at once); null: no limit.</summary>
    public RateLimitMode? RateLimit { get; set; }

    /// <summary>Start as a service that ignores the requested size and makes its default 1024x1024 (validation still applies).</summary>
    public bool IgnoreSize { get; set; }

    /// <summary>Start with this billing: prices, the key's limit, late usage, or no billing endpoints at all; null: the default.</summary>
    public BillingMode? Billing { get; set; }

    /// <summary>No logging at all: test suites run many servers and their output would drown the test log.</summary>
    public bool Quiet { get; set; } = true;

    /// <summary>What <c>GET /v1/models</c> lists: a key group's mix of image and chat models.</summary>
    public System.Collections.Generic.List<string> Models { get; set; } =
    [
        "gemini-3-pro-image-preview", "gemini-2.5-flash-image", "gpt-image-1", "gpt-image-1.5", "dall-e-3",
        "flux-kontext-pro", "gpt-4o-mini", "deepseek-v3",
    ];
}
