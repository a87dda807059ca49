using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Billing;
using TuZiImages.Core.RateLimits;
using TuZiImages.Core.Results;

namespace TuZiImages.Core.Invocation;

/// <summary>
/// Runs a cmdlet's requests concurrently, at most <c>throttleLimit</c> at once, while every write to the
/// host happens on the thread that calls <see cref="Add"/>, <see cref="Pump"/> and <see cref="Complete"/>: the
/// pipeline thread. Workers only post to a queue that those calls drain, so results stream out as they finish.
/// </summary>
public sealed class ImageBatch : IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    private readonly IInvocationHost _host;
    private readonly int _throttleLimit;
    private readonly Func<ServiceRateStatus>? _serviceStatus;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly BlockingCollection<Action> _toPipeline = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastProgress = -ProgressInterval; // so the first report is not held back
    private int _running;
    private int _completed;
    private int _failed;
    private int _total;
    private int _skipped;

    /// <param name="serviceStatus">Where the service's limits stand, for the progress bar; read on the pipeline thread.</param>
    public ImageBatch(IInvocationHost host, int throttleLimit, Func<ServiceRateStatus>? serviceStatus = null)
    {
        if (throttleLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(throttleLimit), throttleLimit, "The throttle limit must be at least 1.");
        }
        _host = host;
        _throttleLimit = throttleLimit;
        _serviceStatus = serviceStatus;
    }

    /// <summary>
    /// The command's money, when it has a budget or reports its spending: asked before each request starts and told
    /// when each ends. Null (the default) costs nothing.
    /// </summary>
    internal CommandSpending? Spending { get; set; }

    /// <summary>A client log whose lines reach the host's verbose stream on the pipeline thread.</summary>
    public IClientLog Log => new QueueLog(this);

    /// <summary>
    /// Starts a request once a slot is free, asking ShouldProcess first. While it waits for a slot it keeps
    /// writing the results of the requests already running. Returns false when the request was not started.
    /// </summary>
    /// <param name="target">What the request is about (for ShouldProcess and for errors).</param>
    /// <param name="action">What ShouldProcess says will be done.</param>
    /// <param name="run">The request.</param>
    /// <param name="priceUsd">Its known price, for the budget; null when unknown.</param>
    /// <param name="failureTarget">What its errors name (the prompt, a file); <paramref name="target"/> when null.</param>
    public bool Add(string target, string action, Func<CancellationToken, Task<ImageResponse>> run, decimal? priceUsd = null, string? failureTarget = null)
    {
        Pump();
        if (_cancellation.IsCancellationRequested || !_host.ShouldProcess(target, action))
        {
            return false;
        }
        while (Volatile.Read(ref _running) >= _throttleLimit && !_cancellation.IsCancellationRequested)
        {
            PumpOne(ProgressInterval);
        }
        if (_cancellation.IsCancellationRequested || (Spending is { } spending && !BudgetAllows(spending, priceUsd, failureTarget ?? target)))
        {
            return false;
        }
        Interlocked.Increment(ref _running);
        _total++;
        Spending?.Started(priceUsd);
        Task.Run(async () =>
        {
            try
            {
                var response = await run(_cancellation.Token).ConfigureAwait(false);
                Post(() =>
                {
                    foreach (var image in response.Images)
                    {
                        _host.WriteResult(image);
                    }
                    foreach (var failure in response.Failures)
                    {
                        _host.WriteFailure(failure);
                    }
                    // An answer came: the service bills it, whatever it held.
                    Spending?.Finished(priceUsd, billed: true);
                    _completed++;
                });
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                Post(() => _failed++);
            }
            catch (TuZiImagesException failure)
            {
                Post(() =>
                {
                    _host.WriteFailure(failure);
                    Spending?.Finished(priceUsd, failure.MayHaveBeenBilled);
                    _failed++;
                });
            }
            catch (Exception unexpected)
            {
                Post(() =>
                {
                    _host.WriteFailure(Platform.DependencyConflicts.Explain(unexpected)
                        ?? new TuZiImagesException(TuZiErrorKind.Network, $"The request about '{target}' failed: {unexpected.Message}", unexpected) { Target = target });
                    Spending?.Finished(priceUsd, billed: false);
                    _failed++;
                });
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                Post(() => { });
            }
        });
        return true;
    }

    /// <summary>Writes the results of a request that was not sent because its output is already on disk.</summary>
    public void AddSkipped(IReadOnlyList<TuZiImageResult> existing)
    {
        Pump();
        foreach (var result in existing)
        {
            _host.WriteResult(result);
        }
        _total++;
        _completed++;
        _skipped++;
        ReportProgress();
    }

    /// <summary>From a worker: tells the progress bar (and verbose stream) that a streamed preview was saved.</summary>
    public void ReportPreview(string note) => Post(() =>
    {
        _host.WriteVerbose(note);
        _host.WriteProgress(Snapshot(finished: false, currentOperation: note));
    });

    /// <summary>From a worker: where a task of an async model stands, for its own progress bar.</summary>
    public void ReportTask(Tasks.ImageTaskStatus status) => Post(() =>
        _host.WriteProgress(new BatchProgress { Task = status, Total = _total, ThrottleLimit = _throttleLimit, Elapsed = _clock.Elapsed }));

    /// <summary>Writes whatever the workers have posted so far, without waiting.</summary>
    public void Pump()
    {
        while (_toPipeline.TryTake(out var action))
        {
            action();
        }
        ReportProgress();
    }

    /// <summary>Waits for every request, writing results as they come; then removes the progress bar.</summary>
    public void Complete()
    {
        while (Volatile.Read(ref _running) > 0 || _toPipeline.Count > 0)
        {
            PumpOne(ProgressInterval);
        }
        Pump();
        if (Spending is { HasBaseline: true, IsUnreadable: false } spending && !_cancellation.IsCancellationRequested)
        {
            // Once at the end: what the service's usage says the command spent.
            ReadUsage(spending);
            if (!spending.IsUnreadable)
            {
                _host.WriteVerbose(spending.Summary());
            }
        }
        if (_total > 0)
        {
            _host.WriteProgress(Snapshot(finished: true));
        }
    }

    /// <summary>
    /// Asks the budget whether a request may start, reading the usage when it asks to (off the pipeline thread, writing
    /// results meanwhile); a request it does not let start becomes a BudgetReached error. Answers already posted are
    /// counted first: a slot is freed only after its request's answer was posted.
    /// </summary>
    private bool BudgetAllows(CommandSpending spending, decimal? priceUsd, string target)
    {
        Pump();
        while (true)
        {
            var verdict = spending.Decide(priceUsd);
            switch (verdict)
            {
                case BudgetVerdict.Start:
                    return true;
                case BudgetVerdict.Read:
                    if (!ReadUsage(spending))
                    {
                        return false;
                    }
                    break;
                default:
                    _host.WriteFailure(spending.NotStarted(verdict, priceUsd, target));
                    return false;
            }
        }
    }

    /// <summary>Reads the service's usage into the spending; false when the command was stopped meanwhile.</summary>
    private bool ReadUsage(CommandSpending spending)
    {
        int covered = spending.Answers;
        try
        {
            spending.Record(covered, Await(spending.ReadUsageUsdAsync));
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            return false;
        }
        catch (TuZiImagesException e)
        {
            spending.Unreadable(e);
            _host.WriteVerbose("The service's usage could not be read: " + e.Message);
        }
        return true;
    }

    /// <summary>
    /// Runs what the pipeline must wait for (a usage reading, the price list) off its thread, writing what the workers
    /// post meanwhile; Stop ends the wait.
    /// </summary>
    internal T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(_cancellation.Token));
        // Wakes the pipeline thread the moment it is done, rather than at the next progress tick.
        task.ContinueWith(_ => Post(() => { }), TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            PumpOne(ProgressInterval);
        }
        return task.GetAwaiter().GetResult();
    }

    /// <summary>From StopProcessing (any thread): cancels every request in flight and wakes the pipeline thread.</summary>
    public void Cancel()
    {
        _cancellation.Cancel();
        Post(() => { });
    }

    private void PumpOne(TimeSpan wait)
    {
        if (_toPipeline.TryTake(out var action, wait))
        {
            action();
        }
        ReportProgress();
    }

    private void Post(Action action)
    {
        try
        {
            _toPipeline.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The batch was disposed: the pipeline has gone, so there is no one left to tell.
        }
    }

    private void ReportProgress()
    {
        if (_total == 0 || _clock.Elapsed - _lastProgress < ProgressInterval)
        {
            return;
        }
        _lastProgress = _clock.Elapsed;
        _host.WriteProgress(Snapshot(finished: false));
    }

    private BatchProgress Snapshot(bool finished, string? currentOperation = null) => new()
    {
        CurrentOperation = currentOperation,
        Completed = _completed,
        Failed = _failed,
        Running = Volatile.Read(ref _running),
        Total = _total,
        Elapsed = _clock.Elapsed,
        IsFinished = finished,
        Skipped = _skipped,
        ThrottleLimit = _throttleLimit,
        Service = finished ? null : _serviceStatus?.Invoke(),
    };

    /// <summary>
    /// How long Dispose waits for cancelled workers to remove their temporary files. A test passes an endless one,
    /// so that what it checks does not depend on how fast a loaded machine unwinds.
    /// </summary>
    internal TimeSpan UnwindWait { get; init; } = TimeSpan.FromSeconds(2);

    public void Dispose()
    {
        // Workers may still be unwinding: cancel them, but leave the token source for them to observe.
        _cancellation.Cancel();
        // After Ctrl+C the host may exit at once; a worker that is still deleting its hidden temporary file
        // would leave it behind. Cancelled workers unwind in milliseconds, so waiting for them costs nothing,
        // and the bound keeps a stuck one from holding the pipeline.
        SpinWait.SpinUntil(() => Volatile.Read(ref _running) == 0, UnwindWait);
        _toPipeline.CompleteAdding();
    }

    /// <summary>Verbose lines from a worker, carried to the pipeline thread.</summary>
    private sealed class QueueLog : IClientLog
    {
        private readonly ImageBatch _batch;

        public QueueLog(ImageBatch batch) => _batch = batch;

        public void Verbose(string message) => _batch.Post(() => _batch._host.WriteVerbose(message));
    }
}
