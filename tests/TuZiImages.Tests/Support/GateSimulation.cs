using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.RateLimits;

namespace TuZiImages.Tests.Support;

/// <summary>
/// Several clients of one key, each with a gate of its own (as separate processes have), against one simulated
/// service, on one virtual clock: each client runs its jobs at most <c>ceiling</c> at once, as a batch at
/// -ThrottleLimit does, a refused job waits at its gate again in its place, and a job whose patience ran out is lost.
/// Nothing waits: events run in time order as fast as the machine goes.
/// </summary>
internal sealed class GateSimulation
{
    private readonly List<(TimeSpan At, long Order, Action Run)> _events = new();
    private readonly List<(Task<ServiceRateGate.Lease?> Acquired, Job Job)> _acquiring = new();
    private long _order;

    public GateSimulation(SimulatedService service) => Service = service;

    public VirtualGateClock Clock { get; } = new();
    public SimulatedService Service { get; }
    public List<SimulatedClient> Clients { get; } = new();
    /// <summary>Every request that went to the service: when, whose, and whether it was admitted.</summary>
    public List<(TimeSpan At, string Client, bool Admitted)> Sends { get; } = new();
    /// <summary>How long a job takes once admitted.</summary>
    public TimeSpan JobLength { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a 429 takes to come back.</summary>
    public TimeSpan RefusalLatency { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// A client with a gate of its own, as a process has; <paramref name="shared"/> is the file through which it shares
    /// its view with the other clients given the same (processes of one machine).
    /// </summary>
    public SimulatedClient AddClient(string name, int ceiling, int jobs, TimeSpan startAt, TimeSpan? patience = null, SharedLimitFile? shared = null)
    {
        var random = new Random(Clients.Count + 1);
        var client = new SimulatedClient(name, ceiling, jobs, startAt, patience ?? TimeSpan.FromMinutes(5),
            new ServiceRateGate(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), Clock, random.NextDouble, shared));
        Clients.Add(client);
        return client;
    }

    /// <summary>Runs until every client's jobs are done or lost; <paramref name="atEachStep"/> sees the time before each step.</summary>
    public void Run(Action<TimeSpan>? atEachStep = null)
    {
        foreach (var client in Clients)
        {
            At(client.StartAt, () =>
            {
                for (int i = 0; i < Math.Min(client.Ceiling, client.Jobs); i++)
                {
                    NextJob(client);
                }
            });
        }
        while (true)
        {
            Settle();
            var nextEvent = _events.Count > 0 ? _events.Min(e => e.At) : (TimeSpan?)null;
            var nextWake = _acquiring.Count > 0 ? Clock.NextWake : null;
            if (nextEvent is null && nextWake is null)
            {
                if (_acquiring.Count > 0)
                {
                    throw new InvalidOperationException($"Stuck at {Clock.Time}: {_acquiring.Count} wait at their gates with nothing to wake them.");
                }
                return;
            }
            var next = nextWake is { } wake && (nextEvent is null || wake < nextEvent) ? wake : nextEvent!.Value;
            if (next > TimeSpan.FromHours(2))
            {
                throw new InvalidOperationException("The simulation ran past two hours of virtual time.");
            }
            atEachStep?.Invoke(next);
            if (nextWake == next && (nextEvent is null || nextWake < nextEvent))
            {
                Clock.AdvanceTo(next);
                continue;
            }
            Clock.AdvanceTo(next);
            var due = _events.Where(e => e.At <= next).OrderBy(e => e.At).ThenBy(e => e.Order).First();
            _events.Remove(due);
            due.Run();
        }
    }

    private void At(TimeSpan at, Action run) => _events.Add((at, _order++, run));

    private void NextJob(SimulatedClient client)
    {
        if (client.Taken >= client.Jobs)
        {
            return;
        }
        client.Taken++;
        var job = new Job(client, client.Gate.NextArrival());
        Acquire(job);
    }

    private void Acquire(Job job) =>
        _acquiring.Add((job.Client.Gate.AcquireAsync(job.Arrival, job.Client.Ceiling, job.Client.Patience, CancellationToken.None), job));

    /// <summary>Sends every job whose gate let it go, at the current time, until none is left to send.</summary>
    private void Settle()
    {
        while (_acquiring.FirstOrDefault(a => a.Acquired.IsCompleted) is { Acquired: not null } ready)
        {
            _acquiring.Remove(ready);
            var job = ready.Job;
            var client = job.Client;
            var lease = ready.Acquired.Result;
            var now = Clock.Time;
            if (lease is null)
            {
                client.Lost++;
                client.FinishedAt = now;
                NextJob(client);
                continue;
            }
            client.Sent++;
            bool admitted = Service.TryAdmit(now);
            Sends.Add((now, client.Name, admitted));
            if (admitted)
            {
                At(now + JobLength, () =>
                {
                    Service.End();
                    client.Note(Clock.Time, lease.Admitted(success: true)?.ToString());
                    client.Done++;
                    client.FinishedAt = Clock.Time;
                    NextJob(client);
                });
            }
            else
            {
                At(now + RefusalLatency, () =>
                {
                    client.Refused++;
                    var outcome = lease.RateLimited(Service.RetryAfter, Service.Message);
                    client.Note(Clock.Time, outcome.Change?.ToString());
                    client.Note(Clock.Time, "429; retrying " + outcome.Wait);
                    Acquire(job);
                });
            }
        }
    }

    private sealed record Job(SimulatedClient Client, ServiceRateGate.Arrival Arrival);
}

/// <summary>One client of a <see cref="GateSimulation"/>: a batch of jobs at a -ThrottleLimit, and what became of them.</summary>
internal sealed class SimulatedClient
{
    public SimulatedClient(string name, int ceiling, int jobs, TimeSpan startAt, TimeSpan patience, ServiceRateGate gate)
    {
        Name = name;
        Ceiling = ceiling;
        Jobs = jobs;
        StartAt = startAt;
        Patience = patience;
        Gate = gate;
    }

    public string Name { get; }
    public int Ceiling { get; }
    public int Jobs { get; }
    public TimeSpan StartAt { get; }
    public TimeSpan Patience { get; }
    public ServiceRateGate Gate { get; }
    public int Taken { get; set; }
    public int Sent { get; set; }
    public int Done { get; set; }
    public int Lost { get; set; }
    public int Refused { get; set; }
    public TimeSpan FinishedAt { get; set; }
    /// <summary>What the client's verbose stream would say, with the virtual time.</summary>
    public List<string> Log { get; } = new();

    public void Note(TimeSpan at, string? line)
    {
        if (line is not null)
        {
            Log.Add($"{at.TotalSeconds,7:0.000} {Name} {line}");
        }
    }
}
