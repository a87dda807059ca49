using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TuZiImages.TestServer.Endpoints;

namespace TuZiImages.TestServer;

/// <summary>
/// A fake of the tu-zi images service over real HTTP on 127.0.0.1: the API origin answers
/// <c>/v1/images/generations</c> and <c>/v1/images/edits</c>, a second origin serves the url results.
/// </summary>
public sealed class FakeTuZiServer : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    private readonly ServerState _state;
    private readonly WebApplication _api;
    private readonly WebApplication _results;
    private int _disposed;

    private FakeTuZiServer(ServerState state, WebApplication api, WebApplication results, Uri apiBase, Uri resultBase)
    {
        _state = state;
        _api = api;
        _results = results;
        ApiBaseAddress = apiBase;
        ResultBaseAddress = resultBase;
    }

    /// <summary>The API origin, with a trailing slash, e.g. http://127.0.0.1:41234/.</summary>
    public Uri ApiBaseAddress { get; }

    /// <summary>The origin that url results point to: another port, another Kestrel app.</summary>
    public Uri ResultBaseAddress { get; }

    public FakeServerOptions Options => _state.Options;

    /// <summary>Every request to /v1/images/*, in arrival order (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Requests.Snapshot();

    /// <summary>Every request to the result origin (a snapshot).</summary>
    public IReadOnlyList<RecordedDownload> Downloads => _state.Downloads.Snapshot();

    /// <summary>Faults not yet used up, in the order they will be tried.</summary>
    public IReadOnlyList<FaultSpec> PendingFaults => _state.Faults.Snapshot();

    /// <summary>Images requests being handled right now.</summary>
    public int ActiveRequests => _state.ActiveRequests;

    /// <summary>The most images requests handled at once since start or the last <see cref="Reset"/>.</summary>
    public int MaxConcurrentRequests => _state.MaxConcurrentRequests;

    public static async Task<FakeTuZiServer> StartAsync(FakeServerOptions? options = null)
    {
        options ??= new FakeServerOptions();
        var state = new ServerState(options);

        // The result origin first: the API writes its address into every url result.
        WebApplication results = CreateApp(options, options.ResultPort);
        ResultFiles.Map(results, state);
        WebApplication? api = null;
        try
        {
            await results.StartAsync();
            state.ResultBaseAddress = BoundAddress(results);

            api = CreateApp(options, options.ApiPort);
            MapApi(api, state);
            await api.StartAsync();
            return new FakeTuZiServer(state, api, results, BoundAddress(api), state.ResultBaseAddress);
        }
        catch
        {
            await StopAsync(results);
            if (api is not null)
            {
                await StopAsync(api);
            }

            throw;
        }
    }

    /// <summary>The rate-limit mode in force: set it to make the server admit at most K requests at once, or none.</summary>
    public RateLimitMode RateLimit
    {
        get => _state.RateLimiter.Mode;
        set => _state.RateLimiter.Mode = value;
    }

    /// <summary>When true, every image is the default 1024x1024 whatever size was asked (the request is still validated).</summary>
    public bool IgnoreSize
    {
        get => _state.IgnoreSize;
        set => _state.IgnoreSize = value;
    }

    /// <summary>Requests refused with 429 by the rate-limit mode since start or the last <see cref="Reset"/>.</summary>
    public int RateLimitedRequests => _state.RateLimiter.Refused;

    /// <summary>The most requests admitted (handled, not refused by the rate-limit mode) at once since start or the last <see cref="Reset"/>.</summary>
    public int MaxAdmittedRequests => _state.RateLimiter.MaxAdmitted;

    /// <summary>The task API's tasks, submission and poll counts: they live as long as the server.</summary>
    public TaskStore Tasks => _state.Tasks;

    /// <summary>How tasks submitted from now on behave (duration, queued time, the word for working).</summary>
    public TaskMode TaskMode
    {
        get => _state.Tasks.Mode;
        set => _state.Tasks.Mode = value;
    }

    /// <summary>Queues a fault for the next poll(s) of a task whose prompt matches (429, reset, 404, delay...).</summary>
    public void EnqueuePollFault(FaultSpec fault) => _state.Tasks.PollFaults.Enqueue(fault);

    /// <summary>A fault for the next download from the result origin: <see cref="FaultSpec.Reset"/> or a <see cref="FaultSpec.Status"/>.</summary>
    public void EnqueueDownloadFault(FaultSpec fault) => _state.DownloadFaults.Enqueue(fault);

    /// <summary>The most requests admitted within one window of the rate-limit mode's <see cref="RateLimitMode.WindowMs"/>.</summary>
    public int MaxAdmittedInWindow => _state.RateLimiter.MaxAdmittedInWindow;

    /// <summary>The key's account: the usage that grows with each image made, prices, late usage, and the billing requests.</summary>
    public ServerBilling Billing => _state.Billing;

    /// <summary>The named holds that faults and tasks wait at until the test releases them.</summary>
    public ServerHolds Holds => _state.Holds;

    /// <summary>Queues a fault for the next matching images request(s).</summary>
    public void EnqueueFault(FaultSpec fault) => _state.Faults.Enqueue(fault);

    /// <summary>Forgets recorded requests and downloads, drops pending faults, releases and forgets every hold, restarts the concurrency high-water marks, and puts back the starting rate-limit and billing modes; the usage, like an account, stays.</summary>
    public void Reset() => _state.Reset();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _state.Stop();
        await StopAsync(_api);
        await StopAsync(_results);
    }

    private static WebApplication CreateApp(FakeServerOptions options, int port)
    {
        // The empty builder reads no appsettings, environment or command line: a test's environment cannot change it.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeTuZiServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
            // Reference images for 14-image edits run to tens of megabytes; the real limit is the gateway's, not ours.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        if (!options.Quiet)
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);

            // A port already in use is reported by Program.cs in one line; the host would add a stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }

        return builder.Build();
    }

    private static void MapApi(WebApplication app, ServerState state)
    {
        app.Map("/v1/images/{**rest}", context => ImagesEndpoint.HandleAsync(context, state));
        app.MapGet(Models.Path, context => Models.HandleAsync(context, state));
        Endpoints.Tasks.Map(app, state);
        Endpoints.Billing.Map(app, state);
        ControlEndpoints.Map(app, state);
        app.MapGet("/", context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(HelpText(state), Encoding.UTF8, context.RequestAborted);
        });
        app.MapFallback(context => ErrorResponses.WriteJsonAsync(
            context, 404, $"Invalid URL ({context.Request.Method} {context.Request.Path})", cancellation: context.RequestAborted));
    }

    private static string HelpText(ServerState state) =>
        "Fake tu-zi images service (TuZiImages.TestServer)\n"
        + "  POST /v1/images/generations   JSON\n"
        + "  POST /v1/images/edits         multipart/form-data\n"
        + "  GET  /v1/models               the key's models (FakeServerOptions.Models)\n"
        + "  POST /v1/videos, GET /v1/videos/{id}   the async models' task API; GET|POST /_control/tasks {\"durationMs\":200}, POST /_control/tasks/faults\n"
        + "  GET  /v1/dashboard/billing/subscription | /v1/dashboard/billing/usage (cents), GET /api/pricing (no key)\n"
        + "  GET|POST /_control/billing {\"lateUsage\":true,\"prices\":{\"gpt-image-1\":{\"usd\":0.05}}}  |  POST /_control/billing/release\n"
        + "  GET  /_control/requests | /_control/downloads | /_control/faults | /_control/stats\n"
        + "  POST /_control/faults (a FaultSpec object or array)  |  POST /_control/reset\n"
        + "  GET  /_control/holds | /_control/holds/{name}/reached?count=1  |  POST /_control/holds/{name}/release: faults' {\"hold\":\"name\"} wait there\n"
        + "  POST /_control/ratelimit {\"admitAtOnce\":4,\"retryAfter\":\"1\",\"retryAfterMs\":null}: admit at most K at once, 429 past it\n"
        + "  A prompt containing [fault:429] answers that status.\n"
        + $"  Results are served from {state.ResultBaseAddress}\n";

    private static Uri BoundAddress(WebApplication app)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }

    private static async Task StopAsync(WebApplication app)
    {
        using var timeout = new CancellationTokenSource(ShutdownTimeout);
        try
        {
            await app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // In-flight requests were cut off: acceptable for a test server being torn down.
        }
        catch (InvalidOperationException)
        {
            // Never started (its port was taken): nothing to stop.
        }

        await app.DisposeAsync();
    }

    /// <summary>
    /// Keeps the host away from Ctrl+C and SIGTERM: tests run many servers in one process, and Program.cs decides
    /// itself when a hand-run server stops.
    /// </summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
