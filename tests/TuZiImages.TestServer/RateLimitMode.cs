using System.Threading;

namespace TuZiImages.TestServer;

/// <summary>
/// A service that limits how many images requests a key may have in flight: past <see cref="AdmitAtOnce"/> it answers
/// 429 with Retry-After at once, doing no work. Serialized camelCase for <c>POST /_control/ratelimit</c>.
/// </summary>
public sealed class RateLimitMode
{
    /// <summary>At most this many requests are handled at once; 0 admits none (every request is refused); null: no limit.</summary>
    public int? AdmitAtOnce { get; set; }

    /// <summary>Sent as Retry-After with each refusal (whole seconds, as the header takes); null sends none.</summary>
    public string? RetryAfter { get; set; } = "1";

    /// <summary>Sent as retry-after-ms, the finer wait some gateways add; null sends none.</summary>
    public int? RetryAfterMs { get; set; }
}

/// <summary>The rate-limit mode in force and what it did: refusals, and the peak of requests admitted at once.</summary>
internal sealed class RateLimiter
{
    private RateLimitMode _mode = new();
    private int _admitted;
    private int _maxAdmitted;
    private int _refused;

    public RateLimitMode Mode
    {
        get => Volatile.Read(ref _mode);
        set => Volatile.Write(ref _mode, value ?? new RateLimitMode());
    }

    public int Admitted => Volatile.Read(ref _admitted);

    public int MaxAdmitted => Volatile.Read(ref _maxAdmitted);

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>True when the request may be handled (then <see cref="Leave"/> must follow); false when it is refused.</summary>
    public bool TryEnter(out RateLimitMode mode)
    {
        mode = Mode;
        if (mode.AdmitAtOnce is not { } limit)
        {
            return Count();
        }

        int now = Interlocked.Increment(ref _admitted);
        if (now > limit)
        {
            Interlocked.Decrement(ref _admitted);
            Interlocked.Increment(ref _refused);
            return false;
        }

        RaisePeak(now);
        return true;
    }

    private bool Count()
    {
        RaisePeak(Interlocked.Increment(ref _admitted));
        return true;
    }

    public void Leave() => Interlocked.Decrement(ref _admitted);

    public void Reset()
    {
        Volatile.Write(ref _maxAdmitted, Admitted);
        Volatile.Write(ref _refused, 0);
    }

    private void RaisePeak(int now)
    {
        int max;
        while (now > (max = Volatile.Read(ref _maxAdmitted)) && Interlocked.CompareExchange(ref _maxAdmitted, now, max) != max)
        {
        }
    }
}
