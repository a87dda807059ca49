using System;

namespace TuZiImages.Core.Responses;

/// <summary>What gpt-image says about its images beside the data: token usage and the settings it used.</summary>
internal sealed class ImageMetadata
{
    public TuZiImageUsage? Usage { get; set; }
    public string? Size { get; set; }
    public string? Quality { get; set; }
    public string? Background { get; set; }
    public string? OutputFormat { get; set; }
    /// <summary>A streamed event's created_at.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}
