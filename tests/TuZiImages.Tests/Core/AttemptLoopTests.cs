using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.Core.Retry;

namespace TuZiImages.Tests.Core;

/// <summary>The loop's waits on virtual time: its spread and its clock are passed in, so nothing here sleeps.</summary>
public class AttemptLoopTests
{
    private static readonly RetryRules Rules = new(MaxRetries: 3, BaseDelay: TimeSpan.FromSeconds(2), MaxDelay: TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Each_retry_waits_the_backoff_with_the_spread_drawn_from_the_pacing()
    {
        var spreads = new Queue<double>(new[] { 0.0, 1.0, 0.5, 0.25 });
        var waits = new List<TimeSpan>();
        var pacing = new RetryPacing(spreads.Dequeue, (delay, _) => { waits.Add(delay); return Task.CompletedTask; });
        int calls = 0;

        string value = await AttemptLoop.RunAsync(Rules, (_, _) => Task.FromResult(++calls < 4
            ? AttemptResult<string>.Unsuccessful(new AttemptOutcome(AttemptEnd.Failed, retryable: true), new TuZiImagesException(TuZiErrorKind.Server, "503"), "HTTP 503")
            : AttemptResult<string>.Succeeded("done")), _ => { }, CancellationToken.None, pacing);

        Assert.Equal("done", value);
        // 2 s doubled per retry, then brought down by up to half as the spread says: 0 halves it, 1 keeps it whole.
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6) }, waits);
        Assert.Empty(spreads); // one draw per decision, the success's included
    }

    [Fact]
    public async Task A_wait_the_server_named_is_kept_whatever_the_spread()
    {
        var waits = new List<TimeSpan>();
        var pacing = new RetryPacing(() => 0.0, (delay, _) => { waits.Add(delay); return Task.CompletedTask; });
        var named = new AttemptOutcome(AttemptEnd.Failed, retryable: true, serverDelay: TimeSpan.FromSeconds(7));

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => AttemptLoop.RunAsync(Rules,
            (_, _) => Task.FromResult(AttemptResult<string>.Unsuccessful(named, new TuZiImagesException(TuZiErrorKind.Server, "busy"), "HTTP 503")),
            _ => { }, CancellationToken.None, pacing));

        Assert.Equal("busy", e.Message);
        Assert.Equal(new[] { TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7) }, waits);
    }
}
