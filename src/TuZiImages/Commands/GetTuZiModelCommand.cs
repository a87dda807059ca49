using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core;

namespace TuZiImages.Commands;

/// <summary>
/// Get-TuZiModel: GET /v1/models, the models the key's group may use. The list is remembered for the session,
/// so that tab completion of -Model offers these first.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TuZiModel")]
[OutputType(typeof(TuZiModel))]
public sealed class GetTuZiModelCommand : TuZiServiceCommandBase, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Only models whose id matches one of these wildcard patterns.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string[]? Name { get; set; }

    protected override void EndProcessing() => ReportingDependencyConflicts(List);

    private void List()
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
        var patterns = (Name ?? Array.Empty<string>())
            .Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
        try
        {
            // Verbose lines come from worker threads: they are written here, on the pipeline thread, as they come.
            var listing = client.ListModelsAsync(_stop.Token);
            listing.ContinueWith(_ => log.Complete(), TaskScheduler.Default);
            foreach (string line in log.Lines)
            {
                WriteVerbose(line);
            }
            var models = listing.GetAwaiter().GetResult();
            foreach (var model in models.Where(m => patterns.Length == 0 || patterns.Any(p => p.IsMatch(m.Id))))
            {
                WriteObject(model);
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
                // The listing is over; nobody reads any more.
            }
        }

        public void Complete() => _lines.CompleteAdding();

        public void Dispose() => _lines.Dispose();
    }
}
