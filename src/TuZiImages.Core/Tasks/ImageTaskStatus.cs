using System;

namespace TuZiImages.Core.Tasks;

/// <summary>Where one task of the async models stands, after a poll: for a progress bar per item.</summary>
public sealed class ImageTaskStatus
{
    public string TaskId { get; init; } = "";
    /// <summary>The prompt, or the task id when the prompt is not known (Receive-TuZiImage).</summary>
    public string Target { get; init; } = "";
    /// <summary>The service's word: queued, in_progress, completed, failed, or one not known yet.</summary>
    public string Status { get; init; } = "";
    /// <summary>0-100 when the service says.</summary>
    public int? Progress { get; init; }
    /// <summary>Waited so far in this run.</summary>
    public TimeSpan Waited { get; init; }
    /// <summary>True once, when the task is over (saved, failed or given up): its progress bar should go.</summary>
    public bool IsFinished { get; init; }
}
