using System;
using System.Collections.Generic;
using TuZiImages.Core;
using TuZiImages.Core.Invocation;

namespace TuZiImages.Tests.Support;

/// <summary>Stands in for a cmdlet: records every call and the thread it came on.</summary>
public sealed class RecordingHost : IInvocationHost
{
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;

    public List<TuZiImageResult> Results { get; } = new();
    public List<TuZiImagesException> Failures { get; } = new();
    public List<string> Verbose { get; } = new();
    public List<string> Warnings { get; } = new();
    public List<BatchProgress> Progress { get; } = new();
    public List<string> ShouldProcessTargets { get; } = new();
    public bool Confirm { get; set; } = true;
    public int CallsOffThePipelineThread { get; private set; }

    private void Check()
    {
        if (Environment.CurrentManagedThreadId != _pipelineThread)
        {
            CallsOffThePipelineThread++;
        }
    }

    public void WriteResult(TuZiImageResult result) { Check(); Results.Add(result); }
    public void WriteFailure(TuZiImagesException failure) { Check(); Failures.Add(failure); }
    public void WriteVerbose(string message) { Check(); Verbose.Add(message); }
    public void WriteWarning(string message) { Check(); Warnings.Add(message); }
    public void WriteProgress(BatchProgress progress) { Check(); Progress.Add(progress); ProgressWritten?.Invoke(progress); }

    /// <summary>Raised on the pipeline thread for each progress record, so a test can await one instead of sleeping.</summary>
    public event Action<BatchProgress>? ProgressWritten;

    public bool ShouldProcess(string target, string action)
    {
        Check();
        ShouldProcessTargets.Add(action + ": " + target);
        return Confirm;
    }
}
