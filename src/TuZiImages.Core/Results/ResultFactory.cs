using System.Collections.Generic;
using System.IO;
using System.Linq;
using System;
using TuZiImages.Core.Imaging;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.Responses;
using TuZiImages.Core.Saving;

namespace TuZiImages.Core.Results;

/// <summary>What the images of one request share, however they came: an answer, a stream, a task, or a file already on disk.</summary>
internal sealed class ResultSource
{
    public string Operation { get; init; } = "";
    public string Prompt { get; init; } = "";
    public string Model { get; init; } = "";
    public IReadOnlyList<string> InputImages { get; init; } = Array.Empty<string>();
    public int Attempts { get; init; }
    public string? RequestId { get; init; }
    public TimeSpan Elapsed { get; init; }
    public bool Skipped { get; init; }
    public string? TaskId { get; init; }
    public DateTimeOffset? Created { get; init; }
    /// <summary>What the answer said beside its data array (gpt-image's usage, size...); an image's own metadata wins.</summary>
    public ImageMetadata? Metadata { get; init; }
}

/// <summary>One image of a request: a saved file, a URL, or both.</summary>
internal sealed class ResultImage
{
    /// <summary>0-based position among the request's images.</summary>
    public int Index { get; init; }
    public string? FullName { get; init; }
    public string? Url { get; init; }
    /// <summary>The file as it was saved (its type, length, record); null for a URL result or a file already on disk, which is read instead.</summary>
    public PendingFile? Saved { get; init; }
    /// <summary>Already redacted: the model's words are the server's text.</summary>
    public string? RevisedPrompt { get; init; }
    public ImageMetadata? Metadata { get; init; }
    public IReadOnlyList<string> Previews { get; init; } = Array.Empty<string>();
}

/// <summary>
/// The one place results are made, for the synchronous, streamed, skipped and task routes alike, so a property
/// added to <see cref="TuZiImageResult"/> is filled the same way on every route.
/// </summary>
internal static class ResultFactory
{
    public static TuZiImageResult Create(ResultSource source, ResultImage image)
    {
        var format = image.Saved?.Format;
        long? length = image.Saved?.Length;
        bool? credentials = image.Saved?.HasContentCredentials;
        (int Width, int Height)? size = null;
        if (image.FullName is { } path)
        {
            try
            {
                format ??= ImageFormat.SniffFile(path);
                length ??= new FileInfo(path).Length;
                size = format is null ? null : ImageDimensions.Read(path, format);
                credentials ??= ImageContainer.ScanFile(path, format)?.HasContentCredentials ?? false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The file is in place but cannot be read now: it is still the result, only without its details.
            }
        }
        var metadata = image.Metadata;
        var shared = source.Metadata;
        return new TuZiImageResult
        {
            Index = image.Index + 1,
            Operation = source.Operation,
            Prompt = source.Prompt,
            Model = source.Model,
            Url = image.Url,
            FullName = image.FullName is null ? null : Path.GetFullPath(image.FullName),
            ContentType = format?.ContentType,
            Width = size?.Width,
            Height = size?.Height,
            Length = length,
            RevisedPrompt = image.RevisedPrompt,
            Created = source.Created ?? metadata?.CreatedAt,
            Elapsed = source.Elapsed,
            Attempts = source.Attempts,
            Skipped = source.Skipped,
            RequestId = source.RequestId,
            TaskId = source.TaskId,
            InputImages = new PathList(source.InputImages.ToList()),
            Usage = metadata?.Usage ?? shared?.Usage,
            OutputFormat = metadata?.OutputFormat ?? shared?.OutputFormat,
            ReportedSize = metadata?.Size ?? shared?.Size,
            Quality = metadata?.Quality ?? shared?.Quality,
            Background = metadata?.Background ?? shared?.Background,
            Previews = new PathList(image.Previews.ToList()),
            HasContentCredentials = credentials ?? false,
            RecordWarning = image.Saved?.RecordWarning,
            RecordNote = image.Saved?.RecordNote,
        };
    }
}
