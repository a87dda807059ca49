using System;
using System.Collections.Generic;
using TuZiImages.Core.Saving;

namespace TuZiImages.Core.Responses;

/// <summary>One element of the answer's data array, its image already on disk when it came as bytes.</summary>
internal sealed class ResponseItem
{
    /// <summary>An http(s) URL to fetch; null when the image came as bytes.</summary>
    public string? Url { get; set; }
    public PendingFile? File { get; set; }
    public string? RevisedPrompt { get; set; }
    /// <summary>What a streamed completed event said about this image; null in a plain JSON answer.</summary>
    public ImageMetadata? Metadata { get; set; }
    /// <summary>Full paths of the previews streamed before this image.</summary>
    public List<string> Previews { get; } = new();
}

internal sealed class ParsedResponse
{
    /// <summary>When the service says it made the images; null when it did not say, or said something that makes no sense.</summary>
    public DateTimeOffset? Created { get; set; }
    public List<ResponseItem> Items { get; } = new();
    public bool HasData { get; set; }
    public string? ErrorMessage { get; set; }
    public string? ErrorType { get; set; }
    public string? ErrorCode { get; set; }
    /// <summary>gpt-image's usage, size, quality, background and output_format, beside the data array.</summary>
    public ImageMetadata Metadata { get; } = new();
}
