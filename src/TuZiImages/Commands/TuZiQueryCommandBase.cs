using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core;

namespace TuZiImages.Commands;

/// <summary>
/// A cmdlet that asks the service one thing and writes the answer (Get-TuZiModel, Get-TuZiBalance): the client made
/// from the connection parameters, its verbose lines written on the pipeline thread as they come, Ctrl+C, and one
/// failure written as a non-terminating error.
/// </summary>
public abstract class TuZiQueryCommandBase : TuZiServiceCommandBase, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    protected override void EndProcessing() => ReportingDependencyConflicts(Run);

    /// <summary>The question, asked of the client off the pipeline thread: the objects to write.</summary>
    protected abstract Task<IEnumerable<object>> AskAsync(TuZiImagesClient client, CancellationToken cancellationToken);

    private void Run()
    {
        WriteDependencyConflicts();
        TuZiImagesClient client;
        using var log = new VerboseLog();
        try
        {
            client = new TuZiImagesClient(BuildOptions(), log);
        }
        catch (TuZiImagesException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
            return;
        }
        try
        {
            // Verbose lines come from worker threads: they are written here, on the pipeline thread, as they come.
            var asking = AskAsync(client, _stop.Token);
            asking.ContinueWith(_ => log.Complete(), TaskScheduler.Default);
            foreach (string line in log.Lines)
            {
                WriteVerbose(line);
            }
            foreach (object answer in asking.GetAwaiter().GetResult())
            {
                WriteObject(answer);
            }
        }
        catch (TuZiImagesException e)
        {
            WriteError(ErrorRecords.From(e));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Carries the client's verbose lines from its threads to the pipeline thread.</summary>
    private sealed class VerboseLog : IClientLog, IDisposable
    {
        private readonly BlockingCollection<string> _lines = new();

        public IEnumerable<string> Lines => _lines.GetConsumingEnumerable();

        public void Verbose(string message)
        {
            try
            {
                _lines.Add(message);
            }
            catch (InvalidOperationException)
            {
                // The question is answered; nobody reads any more.
            }
        }

        public void Complete() => _lines.CompleteAdding();

        public void Dispose() => _lines.Dispose();
    }
}
