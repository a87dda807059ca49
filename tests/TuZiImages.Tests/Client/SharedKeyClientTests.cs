using System.Linq;
using System.Threading.Tasks;
using TuZiImages.Core.RateLimits;
using TuZiImages.Core.Retry;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>
/// Several clients on one key, each with a view of the service's limits of its own (a gate registry, as a separate
/// process has), against one test-server limiter over real HTTP (issue 22): learning alone, and sharing a view through
/// one folder as the processes of a machine do. Whatever the machine's speed, nothing is lost and the limiter is never
/// run past; how fast they get through is the bench's (bench/README.md, "4 processes on one key").
/// </summary>
public class SharedKeyClientTests
{
    private const int Clients = 3, Throttle = 3, PerClient = 6;

    private static async Task RunClients(FakeServerOptions server, bool share)
    {
        await using var h = await ClientHarness.StartAsync(server);
        var batches = Enumerable.Range(0, Clients).Select(_ =>
        {
            var gates = new RateGateRegistry(GateClock.System, Backoff.NextJitter, share ? h.Limits.Path : null);
            return h.StartBatch(Throttle, PerClient, o => o.RateGates = gates);
        }).ToList();
        var hosts = await Task.WhenAll(batches).Within("the clients' batches");

        foreach (var host in hosts)
        {
            Assert.Empty(host.Failures);
            Assert.Equal(PerClient, host.Results.Count);
        }
        // Each image admitted once: every request the limiter did not refuse made one of the results.
        Assert.Equal(Clients * PerClient, h.Server.Requests.Count - h.Server.RateLimitedRequests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Clients_on_one_key_behind_an_in_flight_limit_lose_nothing(bool share) =>
        RunClients(new FakeServerOptions { LatencyMs = 150, RateLimit = new RateLimitMode { AdmitAtOnce = 2, NewApi = true } }, share);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Clients_on_one_key_behind_a_window_lose_nothing(bool share) =>
        RunClients(new FakeServerOptions { LatencyMs = 100, RateLimit = new RateLimitMode { WindowLimit = 6, WindowMs = 1000, NewApi = true } }, share);
}
