using System;
using System.Collections.Generic;

namespace TuZiImages.Core.Results;

/// <summary>What one request produced: its images, and the ones that could not be had (e.g. a failed download).</summary>
public sealed class ImageResponse
{
    public IReadOnlyList<TuZiImageResult> Images { get; init; } = Array.Empty<TuZiImageResult>();
    public IReadOnlyList<TuZiImagesException> Failures { get; init; } = Array.Empty<TuZiImagesException>();
    public string? RequestId { get; init; }
    public int Attempts { get; init; }
    public TimeSpan Elapsed { get; init; }
}
