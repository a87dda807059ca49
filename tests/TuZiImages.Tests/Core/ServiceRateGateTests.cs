using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.Core.Http;

namespace TuZiImages.Tests.Core;

/// <summary>The gate's arithmetic, driven round by round without a network: a service that admits K at once.</summary>
public class ServiceRateGateTests
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    /// <summary>A gate of its own (a made-up address), started by one request that ends without an answer.</summary>
    private static async Task<ServiceRateGate> FreshGateAsync(int ceiling, RateLimitPatience patience)
    {
        var gate = ServiceRateGate.For(new Uri($"http://gate-{Guid.NewGuid():N}.test/"), "key");
        (await gate.AcquireAsync(ServiceRateGate.NextArrival(), ceiling, patience, default))!.Dispose();
        return gate;
    }

    /// <summary>One round: as many requests as the gate lets go at once; the first <paramref name="admits"/> succeed, the rest are refused first.</summary>
    private static async Task<int> RoundAsync(ServiceRateGate gate, int ceiling, int admits, RateLimitPatience patience)
    {
        int width = gate.Limit;
        var leases = new List<ServiceRateGate.Lease>();
        for (int i = 0; i < width; i++)
        {
            leases.Add((await gate.AcquireAsync(ServiceRateGate.NextArrival(), ceiling, patience, default))!);
        }
        foreach (var refused in leases.Skip(admits))
        {
            refused.RateLimited(NoWait, NoWait, NoWait, out _);
        }
        foreach (var admitted in leases.Take(admits))
        {
            admitted.Admitted(success: true);
        }
        return width;
    }

    [Fact]
    public async Task The_limit_never_drops_below_one_nor_grows_above_the_ceiling()
    {
        var patience = new RateLimitPatience(TimeSpan.FromMinutes(5));
        var gate = await FreshGateAsync(8, patience);
        Assert.Equal(8, gate.Limit);

        for (int i = 0; i < 12; i++)
        {
            await RoundAsync(gate, 8, admits: 0, patience);
        }
        Assert.Equal(1, gate.Limit);

        for (int i = 0; i < 200; i++)
        {
            await RoundAsync(gate, 8, admits: int.MaxValue, patience);
        }
        Assert.Equal(8, gate.Limit);
    }

    [Fact]
    public async Task Against_a_service_that_admits_three_it_settles_at_three_and_probes_ever_less_often()
    {
        var patience = new RateLimitPatience(TimeSpan.FromMinutes(5));
        var gate = await FreshGateAsync(16, patience);
        var widths = new List<int>();
        for (int i = 0; i < 80; i++)
        {
            widths.Add(await RoundAsync(gate, 16, admits: 3, patience));
        }

        // 16 at first, halved to 8 (nothing known yet), then straight to the 3 the service was seen to run.
        Assert.Equal(new[] { 16, 8, 4, 3 }, widths.Take(4).ToArray());
        Assert.All(widths.Skip(3), w => Assert.InRange(w, 3, 4));
        int probes = widths.Skip(3).Count(w => w == 4);
        Assert.InRange(probes, 1, 12); // without the damping: 19 probes in these 77 rounds
    }
}
