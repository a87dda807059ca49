using System;
using System.Collections.Generic;
using System.Management.Automation;
using TuZiImages.Core;
using TuZiImages.Core.Invocation;

namespace TuZiImages.Commands;

/// <summary>
/// What every cmdlet that saves images shares (New-, Edit- and Receive-TuZiImage): output parameters, and the
/// host the core writes through (the connection parameters come from <see cref="TuZiServiceCommandBase"/>). The
/// core decides everything; this class binds, resolves provider paths, and writes on the pipeline thread.
/// </summary>
public abstract class TuZiCommandBase : TuZiServiceCommandBase, IInvocationHost, IDisposable
{
    private ImageCommand? _command;
    // One bar per cmdlet and per task in the process: two in one pipeline, or in two runspaces, never share an id.
    private readonly int _progressId = ProgressIds.Next();
    private readonly Dictionary<string, int> _taskProgressIds = new(StringComparer.Ordinal);

    /// <summary>Save images in this folder (created if missing), downloading URL results.</summary>
    [Parameter]
    [Alias("OutDir")]
    public string? OutDirectory { get; set; }

    /// <summary>Replace existing files of the same name. Without it nothing existing is overwritten.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Never replace an existing file (the default, stated explicitly as Out-File allows).</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>How many requests (or tasks of the async models) run at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>Async models: seconds one run waits for a task, polls included. Default 1800; the task is left pending after.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int TaskTimeoutSec { get; set; } = (int)TuZiClientOptions.DefaultTaskTimeout.TotalSeconds;

    /// <summary>
    /// Where each saved image records how it was made (prompt, model, settings): Embed (into the image, the default),
    /// Sidecar (an XMP file beside it) or None (the image exactly as the service sent it).
    /// </summary>
    [Parameter]
    public Core.Provenance.MetadataMode Metadata { get; set; } = Core.Provenance.MetadataMode.Embed;

    protected abstract ImageCommand CreateCommand(TuZiClientOptions options, string currentDirectory);

    /// <summary>Settings of the command as a whole, given before the first input; a Configuration error stops the command.</summary>
    protected virtual void Configure(ImageCommand command)
    {
    }

    protected ImageCommand Command => _command ?? throw new InvalidOperationException("BeginProcessing has not run.");

    /// <summary>Switches that contradict each other stop the command before anything is sent.</summary>
    protected virtual void CheckSwitches()
    {
        if (Force && NoClobber)
        {
            ThrowTerminatingError(ErrorRecords.From(new TuZiImagesException(TuZiErrorKind.Configuration,
                "-Force and -NoClobber contradict each other.") { RecommendedAction = "Give one of them." }));
        }
    }

    protected override void BeginProcessing() => ReportingDependencyConflicts(Begin);

    private void Begin()
    {
        WriteDependencyConflicts();
        CheckSwitches();
        try
        {
            var options = BuildOptions();
            options.TaskTimeout = TimeSpan.FromSeconds(TaskTimeoutSec);
            _command = CreateCommand(options, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
            Configure(_command);
        }
        catch (TuZiImagesException e) when (e.Kind == TuZiErrorKind.Configuration)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
    }

    protected override void EndProcessing() => ReportingDependencyConflicts(() => _command?.End());

    protected override void StopProcessing() => _command?.Stop();

    public void Dispose()
    {
        _command?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected string? ResolveOutputPath(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// -OutFile as a full path. With -OutDirectory a relative one is taken inside that folder, as a CSV's OutFile
    /// column is meant with -OutDirectory on the command line; an absolute one (or ~/...) stands as given.
    /// </summary>
    protected string? ResolveOutFile(string? outFile)
    {
        if (outFile is null || OutDirectory is null || outFile.StartsWith("~", StringComparison.Ordinal)
            || SessionState.Path.IsPSAbsolute(outFile, out _))
        {
            return ResolveOutputPath(outFile);
        }
        return ResolveOutputPath(SessionState.Path.Combine(OutDirectory, outFile));
    }

    // IInvocationHost: the core calls these from inside End/Process, on the pipeline thread.
    public void WriteResult(TuZiImageResult result) => WriteObject(result);

    public void WriteFailure(TuZiImagesException failure) => WriteError(ErrorRecords.From(failure));

    void IInvocationHost.WriteVerbose(string message) => WriteVerbose(message);

    void IInvocationHost.WriteWarning(string message) => WriteWarning(message);

    public void WriteProgress(BatchProgress progress)
    {
        if (progress.Task is { } task)
        {
            WriteProgress(TaskRecord(task));
            return;
        }
        var record = new ProgressRecord(_progressId, MyInvocation.MyCommand.Name, progress.Status)
        {
            PercentComplete = progress.PercentComplete,
            RecordType = progress.IsFinished ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        if (progress.CurrentOperation is not null)
        {
            record.CurrentOperation = progress.CurrentOperation;
        }
        WriteProgress(record);
    }

    /// <summary>A bar of its own per task, under the batch's bar: the service's status word and percentage.</summary>
    private ProgressRecord TaskRecord(Core.Tasks.ImageTaskStatus task)
    {
        if (!_taskProgressIds.TryGetValue(task.TaskId, out int id))
        {
            id = ProgressIds.Next();
            _taskProgressIds[task.TaskId] = id;
        }
        string target = task.Target.Length > 60 ? task.Target.Substring(0, 57) + "..." : task.Target;
        string status = (task.Status.Length == 0 ? "submitted" : task.Status) + (task.Progress is { } p ? $" {p}%" : "")
            + $", waited {(int)task.Waited.TotalSeconds} s";
        return new ProgressRecord(id, $"Task {task.TaskId}: {target}", status)
        {
            ParentActivityId = _progressId,
            PercentComplete = task.Progress ?? -1,
            RecordType = task.IsFinished ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
    }

    bool IInvocationHost.ShouldProcess(string target, string action) => ShouldProcess(target, action);
}
