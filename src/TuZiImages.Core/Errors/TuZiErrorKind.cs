namespace TuZiImages.Core;

/// <summary>What went wrong, in the terms a caller acts on.</summary>
public enum TuZiErrorKind
{
    /// <summary>The key was missing or refused (401).</summary>
    Authentication,
    /// <summary>The key may not use this model, or its balance or quota is spent (402, 403, insufficient_quota).</summary>
    PermissionOrQuota,
    /// <summary>Too many requests (429).</summary>
    RateLimit,
    /// <summary>The service rejected the request as invalid (400, 404, 413, 422...).</summary>
    BadRequest,
    /// <summary>The service or a gateway in front of it failed (5xx).</summary>
    Server,
    /// <summary>No answer within the time allowed for one attempt.</summary>
    Timeout,
    /// <summary>The connection failed or broke.</summary>
    Network,
    /// <summary>The model refused the prompt or image (NO_IMAGE, PROHIBITED_CONTENT and the other RefusalMarkers).</summary>
    ContentRefused,
    /// <summary>A successful answer that carried no image (empty data or url).</summary>
    NoImage,
    /// <summary>The answer could not be read as the images API's response.</summary>
    MalformedResponse,
    /// <summary>An input given by the caller cannot be used; nothing was sent.</summary>
    InvalidInput,
    /// <summary>An image could not be written to disk (disk full, no permission).</summary>
    FileSystem,
    /// <summary>The client is set up in a way that cannot work (no key, bad base address); nothing was sent.</summary>
    Configuration,
    /// <summary>Another module's copy of a dependency (System.Text.Json, System.Memory) stopped the module (Windows PowerShell).</summary>
    DependencyConflict,
    /// <summary>Not sent: the command's -BudgetUsd is spent, or this request's known price would pass it.</summary>
    BudgetReached,
}
