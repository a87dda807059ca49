using System;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer;

/// <summary>What the API origin and the result origin share: one per <see cref="FakeTuZiServer"/>.</summary>
internal sealed class ServerState(FakeServerOptions options)
{
    private readonly CancellationTokenSource _stopping = new();
    private int _active;
    private int _maxActive;

    public FakeServerOptions Options { get; } = options;

    public RecordLog<RecordedRequest> Requests { get; } = new();

    public RecordLog<RecordedDownload> Downloads { get; } = new();

    public FaultQueue Faults { get; } = new();

    /// <summary>Faults of the result origin's downloads (a reset or a status), matched by nothing but order.</summary>
    public FaultQueue DownloadFaults { get; } = new();

    public RateLimiter RateLimiter { get; } = new() { Mode = options.RateLimit ?? new RateLimitMode() };

    public ImageStore Images { get; } = new();

    public ServerHolds Holds { get; } = new();

    /// <summary>The key's account: usage and prices. Never cleared by <see cref="Reset"/> but for its request log and mode.</summary>
    public ServerBilling Billing { get; } = new(options.Billing ?? new BillingMode());

    /// <summary>The task API's tasks: never cleared by <see cref="Reset"/>, so a client can be stopped and resume.</summary>
    public Endpoints.TaskStore Tasks { get; } = new() { Mode = new Endpoints.TaskMode { DurationMs = options.TaskDurationMs } };

    private volatile bool _ignoreSize = options.IgnoreSize;

    /// <summary>Make every image the default size whatever was asked, as the real service is known to do at times.</summary>
    public bool IgnoreSize
    {
        get => _ignoreSize;
        set => _ignoreSize = value;
    }

    /// <summary>Set once the result origin listens, before the API origin starts.</summary>
    public Uri ResultBaseAddress { get; set; } = new("http://127.0.0.1/");

    /// <summary>Cancelled when the server is disposed, so requests waiting out a latency end at once.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public int ActiveRequests => Volatile.Read(ref _active);

    public int MaxConcurrentRequests => Volatile.Read(ref _maxActive);

    public void Log(string line)
    {
        if (!Options.Quiet)
        {
            Console.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {line}");
        }
    }

    public void EnterRequest()
    {
        int now = Interlocked.Increment(ref _active);
        int max;
        while (now > (max = Volatile.Read(ref _maxActive)) && Interlocked.CompareExchange(ref _maxActive, now, max) != max)
        {
        }
    }

    public void ExitRequest() => Interlocked.Decrement(ref _active);

    public void Reset()
    {
        Requests.Clear();
        Downloads.Clear();
        DownloadFaults.Clear();
        Faults.Clear();
        Tasks.PollFaults.Clear();
        Volatile.Write(ref _maxActive, ActiveRequests);
        RateLimiter.Reset();
        RateLimiter.Mode = Options.RateLimit ?? new RateLimitMode();
        IgnoreSize = Options.IgnoreSize;
        Holds.Reset();
        Billing.Reset(Options.Billing ?? new BillingMode());
    }

    /// <summary>Waits at a hold until it is released, the request is aborted, or the server stops.</summary>
    public async Task HoldAsync(string name, CancellationToken requestAborted)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, Stopping);
        await Holds.WaitAsync(name, either.Token);
    }

    public void Stop()
    {
        _stopping.Cancel();
    }
}
