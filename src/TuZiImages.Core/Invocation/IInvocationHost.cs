namespace TuZiImages.Core.Invocation;

/// <summary>
/// What a cmdlet lends the core: its output, error, verbose and progress streams and its ShouldProcess.
/// The core calls these on the pipeline thread only, from inside <see cref="ImageBatch"/>'s methods.
/// </summary>
public interface IInvocationHost
{
    void WriteResult(TuZiImageResult result);

    /// <summary>A non-terminating failure of one item; the others go on.</summary>
    void WriteFailure(TuZiImagesException failure);

    void WriteVerbose(string message);

    /// <summary>Something the user should know although nothing failed (the service ignored a size).</summary>
    void WriteWarning(string message);

    void WriteProgress(BatchProgress progress);

    /// <summary>-WhatIf / -Confirm: false means do not send this request.</summary>
    bool ShouldProcess(string target, string action);
}
