using System;

namespace TuZiImages.Core.Tasks;

/// <summary>One task submitted and not yet saved: enough to poll it again and to save its image where the first run would have.</summary>
internal sealed class TaskJournalEntry
{
    public string Key { get; init; } = "";
    public string TaskId { get; init; } = "";
    public string Model { get; init; } = "";
    public string Prompt { get; init; } = "";
    public string Operation { get; init; } = "";
    /// <summary>The file-name stem of an -OutDirectory save, so Receive-TuZiImage saves under the name -SkipExisting looks for.</summary>
    public string? FileStem { get; init; }
    public DateTimeOffset Submitted { get; init; }
    /// <summary>The record of the request, so the image saved later (even by Receive-TuZiImage) says how it was made.</summary>
    public Provenance.ImageRecord? Record { get; init; }
}
