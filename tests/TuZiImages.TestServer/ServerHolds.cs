using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.TestServer;

/// <summary>
/// Named points where the server waits until the test lets it go, so that the test, not a timer, decides when an
/// answer (or the rest of one, or a task's end) comes. A hold is closed until <see cref="Release"/>; every arrival
/// at it is counted, so a test awaits <see cref="WhenReachedAsync"/> ("the client is surely waiting here") and
/// then acts. <c>/_control/holds</c> does the same for a server run as a process.
/// </summary>
public sealed class ServerHolds
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Hold> _holds = new(StringComparer.Ordinal);

    /// <summary>Completes once <paramref name="count"/> arrivals have reached the hold (at once if they have).</summary>
    public Task WhenReachedAsync(string name, int count = 1)
    {
        lock (_lock)
        {
            return Get(name).WhenReached(count);
        }
    }

    /// <summary>How many times the hold was reached since it was first named (or the last reset).</summary>
    public int Reached(string name)
    {
        lock (_lock)
        {
            return Get(name).Arrivals;
        }
    }

    public bool IsReleased(string name)
    {
        lock (_lock)
        {
            return Get(name).Released.Task.IsCompleted;
        }
    }

    /// <summary>Lets everything waiting at the hold go on; later arrivals pass at once.</summary>
    public void Release(string name)
    {
        Hold hold;
        lock (_lock)
        {
            hold = Get(name);
        }

        hold.Released.TrySetResult();
    }

    /// <summary>Every hold named so far: how often reached, and whether released.</summary>
    public IReadOnlyList<HoldState> Snapshot()
    {
        lock (_lock)
        {
            return _holds.Select(h => new HoldState(h.Key, h.Value.Arrivals, h.Value.Released.Task.IsCompleted)).ToArray();
        }
    }

    /// <summary>Counts one arrival and waits until the hold is released or <paramref name="cancellation"/> ends the wait.</summary>
    internal Task WaitAsync(string name, CancellationToken cancellation) => Arrive(name).WaitAsync(cancellation);

    /// <summary>Counts one arrival without waiting (a task that is polled while held); returns the release.</summary>
    internal Task Arrive(string name)
    {
        lock (_lock)
        {
            Hold hold = Get(name);
            hold.Arrive();
            return hold.Released.Task;
        }
    }

    /// <summary>Releases every hold and forgets them: nothing a test left closed keeps a later request waiting.</summary>
    internal void Reset()
    {
        Hold[] all;
        lock (_lock)
        {
            all = _holds.Values.ToArray();
            _holds.Clear();
        }

        foreach (Hold hold in all)
        {
            hold.Released.TrySetResult();
        }
    }

    private Hold Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_holds.TryGetValue(name, out Hold? hold))
        {
            hold = new Hold();
            _holds[name] = hold;
        }

        return hold;
    }

    /// <summary>Called under the owner's lock.</summary>
    private sealed class Hold
    {
        private readonly List<(int Count, TaskCompletionSource Reached)> _watchers = [];

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Arrivals { get; private set; }

        public void Arrive()
        {
            Arrivals++;
            foreach (var watcher in _watchers.Where(w => w.Count <= Arrivals).ToArray())
            {
                _watchers.Remove(watcher);
                watcher.Reached.TrySetResult();
            }
        }

        public Task WhenReached(int count)
        {
            if (Arrivals >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _watchers.Add((count, reached));
            return reached.Task;
        }
    }
}

/// <summary>One hold as <c>GET /_control/holds</c> shows it.</summary>
public sealed record HoldState(string Name, int Reached, bool Released);
