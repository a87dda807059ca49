using System;

namespace TuZiImages.Core;

/// <summary>The one exception the core throws for a failed request or an unusable input.</summary>
/// <remarks>Messages are built from redacted text only: the API key never appears in them.</remarks>
public sealed class TuZiImagesException : Exception
{
    public TuZiImagesException(TuZiErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public TuZiErrorKind Kind { get; }

    /// <summary>The HTTP status of the failed answer, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The server's own message (from {"error":{...}}) or an excerpt of a non-JSON body.</summary>
    public string? ServerMessage { get; init; }

    /// <summary>The server's error type and code, when it gave them.</summary>
    public string? ServerErrorType { get; init; }
    public string? ServerErrorCode { get; init; }

    /// <summary>The request id header of the failed answer, for support tickets.</summary>
    public string? RequestId { get; init; }

    /// <summary>How many attempts were made before giving up (0 when nothing was sent).</summary>
    public int Attempts { get; init; }

    /// <summary>True when the request reached the service in full, so an image may have been made and billed.</summary>
    public bool MayHaveBeenBilled { get; init; }

    /// <summary>What the caller can do about it, in a sentence.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>
    /// The task of an async model that may still finish (still pending, or completed but not yet saved): give it to
    /// Receive-TuZiImage -TaskId, which error records bind by this name. Null when there is no task to pick up.
    /// </summary>
    public string? TaskId { get; set; }

    /// <summary>The input the failure is about (a prompt, a file path or a result URL), when it is about one.</summary>
    public string? Target { get; set; }

    /// <summary>A bad input, named as the target; nothing was sent for it.</summary>
    public static TuZiImagesException InvalidInput(string message, string? target, string? action = null) =>
        new(TuZiErrorKind.InvalidInput, message) { Target = target, RecommendedAction = action };
}
