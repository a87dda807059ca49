using System;
using System.Collections.Generic;
using TuZiImages.Core.Invocation;

namespace TuZiImages.Core.Results;

/// <summary>
/// The cmdlet's host, saying what a result needs said, on the pipeline thread as every write to the host is: once per
/// batch and distinct mismatch that the service ignored a size, and for each image whose record was not written
/// into it, why (a warning) or where it went instead (verbose).
/// </summary>
internal sealed class ResultNotesHost : IInvocationHost
{
    private readonly IInvocationHost _host;
    private readonly HashSet<string> _told = new(StringComparer.OrdinalIgnoreCase);

    public ResultNotesHost(IInvocationHost host) => _host = host;

    public void WriteResult(TuZiImageResult result)
    {
        if (result.SizeMismatch && _told.Add($"{result.Model}|{result.RequestedSize}|{result.Pixels}"))
        {
            _host.WriteWarning($"{result.Model} was asked for size {result.RequestedSize} but made {result.Pixels}: "
                + "the service ignored the size. The results' RequestedSize and SizeMismatch properties say which images; "
                + "this batch tells each such mismatch once.");
        }
        if (result.RecordWarning is { } warning)
        {
            _host.WriteWarning(warning);
        }
        if (result.RecordNote is { } note)
        {
            _host.WriteVerbose(note);
        }
        _host.WriteResult(result);
    }

    public void WriteFailure(TuZiImagesException failure) => _host.WriteFailure(failure);

    public void WriteVerbose(string message) => _host.WriteVerbose(message);

    public void WriteWarning(string message) => _host.WriteWarning(message);

    public void WriteProgress(BatchProgress progress) => _host.WriteProgress(progress);

    public bool ShouldProcess(string target, string action) => _host.ShouldProcess(target, action);
}
