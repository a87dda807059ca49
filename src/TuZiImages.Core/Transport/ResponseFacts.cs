using System;

namespace TuZiImages.Core.Transport;

/// <summary>What came back from one attempt, as far as its outcome depends on it: read from the wire once, before deciding.</summary>
internal sealed record ResponseFacts
{
    public int Status { get; init; }

    /// <summary>The answer's media type ("text/html"); null when it named none.</summary>
    public string? ContentType { get; init; }

    /// <summary>An error answer's body as <see cref="ErrorBody"/> read it: the API's error, or a gateway page's excerpt; empty when not read.</summary>
    public ErrorBody Body { get; init; } = new();

    /// <summary>The wait the server named (Retry-After or retry-after-ms), capped; null when it named none.</summary>
    public TimeSpan? ServerDelay { get; init; }

    /// <summary>A POST that makes an image or a task, which the service bills; a GET (the model list, a task poll, a download) makes nothing.</summary>
    public bool Billable { get; init; }

    /// <summary>The request's body went out whole, so the service may have started the work.</summary>
    public bool BodySentWhole { get; init; }
}
