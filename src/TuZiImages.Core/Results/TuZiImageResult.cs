using System;
using System.Globalization;
using System.IO;
using TuZiImages.Core.Results;

namespace TuZiImages.Core;

/// <summary>One image the service made: where it is (a saved file, a URL, or both) and how it was made.</summary>
/// <remarks>
/// Shaped for the pipeline: <see cref="PSPath"/> and <see cref="FullName"/> let Copy-Item, Get-Item, Invoke-Item
/// and Edit-TuZiImage take a saved image by property name, as they take the files of Get-ChildItem. There is
/// deliberately no "Path" property: it would bind to -Path as well and make their parameter sets ambiguous.
/// Every property is text, a number, a date or a list of paths, so ConvertTo-Json and Export-Csv write it as it
/// is; the module's type data adds a hidden File (the saved file's FileInfo) for scripts. Each column of the
/// default table is a property of the same name (Index, Pixels, Elapsed, Model, Name).
/// </remarks>
public sealed class TuZiImageResult
{
    /// <summary>1-based position among the images of its request.</summary>
    public int Index { get; init; }
    /// <summary>Generate or Edit.</summary>
    public string Operation { get; init; } = "";
    public string Prompt { get; init; } = "";
    public string Model { get; init; } = "";
    /// <summary>The http(s) URL the service gave, when it gave one.</summary>
    public string? Url { get; init; }
    /// <summary>The saved file's full path, when the image was saved.</summary>
    public string? FullName { get; init; }
    /// <summary>The saved file's name, or the URL of an image that was not saved: the table's Name column.</summary>
    public string? Name => FullName is null ? Url : Path.GetFileName(FullName);
    public string? PSPath => FullName is null ? null : @"Microsoft.PowerShell.Core\FileSystem::" + FullName;
    public string? ContentType { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    /// <summary>WIDTHxHEIGHT of the saved image, read from its bytes: the table's Pixels column. Null when not measured.</summary>
    public string? Pixels => Width is { } width && Height is { } height
        ? width.ToString(CultureInfo.InvariantCulture) + "x" + height.ToString(CultureInfo.InvariantCulture) : null;
    /// <summary>Bytes of the saved file.</summary>
    public long? Length { get; init; }
    public string? RevisedPrompt { get; init; }
    /// <summary>When the service says it made the image.</summary>
    public DateTimeOffset? Created { get; init; }
    /// <summary>From the first attempt to the image being in place.</summary>
    public TimeSpan Elapsed { get; init; }
    public int Attempts { get; init; }
    /// <summary>True when nothing was sent because the file was already on disk (-SkipExisting); Attempts is then 0.</summary>
    public bool Skipped { get; init; }
    public string? RequestId { get; init; }
    /// <summary>The service's task id, for images of the async models (the task API); Receive-TuZiImage takes it.</summary>
    public string? TaskId { get; init; }
    /// <summary>The local files sent with the request (edit inputs, mask, reference images).</summary>
    public PathList InputImages { get; init; } = PathList.Empty;
    /// <summary>gpt-image: the tokens the request used (shared by every image of the request).</summary>
    public TuZiImageUsage? Usage { get; init; }
    /// <summary>The format the service says it produced (png, jpeg, webp); the file's type is read from its bytes.</summary>
    public string? OutputFormat { get; init; }
    /// <summary>
    /// The size the service says it made (gpt-image: 1024x1536, also when auto was asked for); null when it says
    /// none. Named apart from <see cref="Pixels"/>, which is measured, and <see cref="RequestedSize"/>, which was sent.
    /// </summary>
    public string? ReportedSize { get; init; }
    /// <summary>The quality the service says it used (low, medium, high...).</summary>
    public string? Quality { get; init; }
    /// <summary>The background the service says it made (transparent or opaque).</summary>
    public string? Background { get; init; }
    /// <summary>The size field sent (1536x1024, 16x9, 2K...), null when none was: what <see cref="SizeMismatch"/> compares with.</summary>
    public string? RequestedSize { get; internal set; }
    /// <summary>
    /// True when the image is not what was asked: other pixels for a model that makes exact ones, else a ratio more
    /// than 2% off. False also when it cannot be told (no size, auto, 2K, or no saved file to measure).
    /// </summary>
    public bool SizeMismatch { get; internal set; }
    /// <summary>Full paths of the previews streamed before this image (-PartialImages), in order.</summary>
    public PathList Previews { get; init; } = PathList.Empty;
    /// <summary>
    /// True when the image carries Content Credentials (C2PA, as gpt-image's do): it was saved byte for byte as
    /// served, since adding anything would break their signature, and its record (unless -Metadata None) is in the XMP
    /// sidecar beside it.
    /// </summary>
    public bool HasContentCredentials { get; init; }
    /// <summary>Why the record could not be written (the image is saved as served): said once as a warning.</summary>
    internal string? RecordWarning { get; init; }
    /// <summary>Where the record went when not into the image: said on the verbose stream.</summary>
    internal string? RecordNote { get; init; }

    public override string ToString() => FullName ?? Url ?? $"image {Index}";
}
