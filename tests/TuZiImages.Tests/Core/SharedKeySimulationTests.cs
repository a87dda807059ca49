using System;
using System.Linq;
using TuZiImages.Core.RateLimits;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>
/// Four processes on one key (issue 22), each a gate of its own at -ThrottleLimit 4 with 12 jobs of 1 s, against
/// one simulated new-api limiter on virtual time: with the machine's shared view and without it (learning from its
/// own 429s alone). The bench measures the same with real pwsh processes; these pin the behaviour in the build.
/// </summary>
public class SharedKeySimulationTests
{
    private const int Processes = 4, PerProcess = 12, Images = Processes * PerProcess;

    private static SimulatedService Service(string limit) => limit == "window"
        ? new SimulatedService { PerWindow = 12, Window = TimeSpan.FromSeconds(5), Message = "您已达到请求数限制" }
        : new SimulatedService { InFlight = 4, Message = "You have reached the concurrent request limit: at most 4 in-flight requests" };

    /// <summary>The service's own ideal plus the stagger of the starts, as the bench adds the processes' start.</summary>
    private static double Ideal(string limit, int staggerMs) => (limit == "window" ? 16 : 12) + (Processes - 1) * staggerMs / 1000.0;

    private static GateSimulation Run(string limit, int staggerMs, bool share, TimeSpan? patience = null)
    {
        using var folder = new TempDirectory();
        var file = share ? new SharedLimitFile(folder.Path, "view") : null;
        var simulation = new GateSimulation(Service(limit));
        for (int i = 0; i < Processes; i++)
        {
            simulation.AddClient("p" + i, 4, PerProcess, TimeSpan.FromMilliseconds(i * staggerMs + 7 * i % 20), patience, file);
        }
        simulation.Run();
        return simulation;
    }

    private static string Figures(GateSimulation simulation) =>
        string.Join("; ", simulation.Clients.Select(c => $"{c.Name}: {c.Done} done, {c.Lost} lost, {c.Refused} refused, finished {c.FinishedAt.TotalSeconds:0.00} s"));

    [Theory]
    [InlineData("window", 0)]
    [InlineData("window", 400)]
    [InlineData("inflight", 0)]
    [InlineData("inflight", 400)]
    public void Four_processes_sharing_a_view_lose_nothing_within_1_3x_the_ideal_and_half_a_429_per_image(string limit, int staggerMs)
    {
        var simulation = Run(limit, staggerMs, share: true);

        double seconds = simulation.Clients.Max(c => c.FinishedAt).TotalSeconds;
        Assert.True(simulation.Clients.All(c => c.Done == PerProcess), Figures(simulation));
        Assert.True(seconds <= 1.3 * Ideal(limit, staggerMs), $"{seconds:0.00} s against an ideal of {Ideal(limit, staggerMs):0.0} s. {Figures(simulation)}");
        Assert.True(simulation.Service.Refusals <= Images / 2, $"{simulation.Service.Refusals} answers of 429. {Figures(simulation)}");
        Assert.True(simulation.Service.Peak <= 4 || limit == "window", $"peak {simulation.Service.Peak} at once");
        Assert.True(simulation.Service.PeakInWindow <= 12 || limit == "inflight", $"peak {simulation.Service.PeakInWindow} in a window");
    }

    /// <summary>
    /// Without a shared view each learns from its own 429s: a 429 below its own limit means the others take the rest,
    /// so it waits its turn rather than shrinking to one. Nothing is lost and the service is kept busy, but the shares
    /// are first come, first served and the window costs more than one 429 per image: why the shared view exists.
    /// </summary>
    [Theory]
    [InlineData("window")]
    [InlineData("inflight")]
    public void Four_processes_learning_alone_lose_nothing_and_keep_the_service_busy(string limit)
    {
        var simulation = Run(limit, 150, share: false);

        Assert.True(simulation.Clients.All(c => c.Done == PerProcess), Figures(simulation));
        Assert.True(simulation.Clients.Max(c => c.FinishedAt).TotalSeconds <= 1.4 * Ideal(limit, 150), Figures(simulation));
        Assert.True(simulation.Service.Peak <= 4 || limit == "window", $"peak {simulation.Service.Peak} at once");
        Assert.True(simulation.Service.PeakInWindow <= 12 || limit == "inflight", $"peak {simulation.Service.PeakInWindow} in a window");
    }

    /// <summary>
    /// Patience counts time in which the service admits nothing on the key, not time in which it serves the others:
    /// a patience shorter than the whole run loses nothing while the service keeps admitting someone.
    /// </summary>
    [Theory]
    [InlineData("window", true)]
    [InlineData("window", false)]
    [InlineData("inflight", true)]
    [InlineData("inflight", false)]
    public void A_patience_shorter_than_the_run_loses_nothing_while_the_service_serves_others(string limit, bool share)
    {
        var simulation = Run(limit, 0, share, patience: TimeSpan.FromSeconds(4));

        Assert.True(simulation.Clients.Max(c => c.FinishedAt) > TimeSpan.FromSeconds(8), "the run must outlast the patience for this to say anything");
        Assert.True(simulation.Clients.All(c => c.Lost == 0), Figures(simulation));
    }

    [Theory]
    [InlineData("window")]
    [InlineData("inflight")]
    public void One_process_at_throttle_16_keeps_its_figures(string limit)
    {
        using var folder = new TempDirectory();
        var simulation = new GateSimulation(Service(limit));
        simulation.AddClient("p0", 16, Images, TimeSpan.Zero, shared: new SharedLimitFile(folder.Path, "view"));
        simulation.Run();

        double seconds = simulation.Clients[0].FinishedAt.TotalSeconds;
        Assert.Equal(Images, simulation.Clients[0].Done);
        Assert.True(seconds <= 1.15 * Ideal(limit, 0), $"{seconds:0.00} s");
        Assert.True(simulation.Service.Refusals <= Images / 2, $"{simulation.Service.Refusals} answers of 429");
    }
}
