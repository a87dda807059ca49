namespace TuZiImages.Core.Results;

/// <summary>A streamed preview, saved whole beside where the final image will go.</summary>
public sealed class ImagePreview
{
    public string FullName { get; init; } = "";
    /// <summary>1-based: the first preview is 1.</summary>
    public int Number { get; init; }
    /// <summary>1-based position of the image it previews among the request's images.</summary>
    public int ImageIndex { get; init; }
    public long Length { get; init; }
}
