using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// <c>/_control/*</c> on the API origin, unauthenticated: lets a PowerShell script that runs the server as a process
/// do what an in-process test does through <see cref="FakeTuZiServer"/>.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerState state)
    {
        app.MapGet("/_control/requests", context => WriteJsonAsync(context, state.Requests.Snapshot()));
        app.MapGet("/_control/downloads", context => WriteJsonAsync(context, state.Downloads.Snapshot()));
        app.MapGet("/_control/faults", context => WriteJsonAsync(context, state.Faults.Snapshot()));
        app.MapPost("/_control/faults", context => AddFaultsAsync(context, state));
        app.MapGet("/_control/stats", context => WriteJsonAsync(context, new
        {
            state.ActiveRequests,
            state.MaxConcurrentRequests,
            Requests = state.Requests.Snapshot().Count,
            Downloads = state.Downloads.Snapshot().Count,
            PendingFaults = state.Faults.Snapshot().Count,
            RateLimited = state.RateLimiter.Refused,
            MaxAdmittedRequests = state.RateLimiter.MaxAdmitted,
            MaxAdmittedInWindow = state.RateLimiter.MaxAdmittedInWindow,
        }));
        app.MapGet("/_control/ratelimit", context => WriteJsonAsync(context, state.RateLimiter.Mode));
        app.MapPost("/_control/ratelimit", async context =>
        {
            RateLimitMode? mode;
            try
            {
                mode = await JsonSerializer.DeserializeAsync<RateLimitMode>(context.Request.Body, ServerJson.Control, context.RequestAborted);
                if (mode?.AdmitAtOnce < 0 || mode?.RetryAfterMs < 0 || mode?.WindowLimit < 0 || mode?.WindowMs <= 0)
                {
                    throw new ArgumentException("admitAtOnce, windowLimit and retryAfterMs must not be negative, windowMs must be positive.");
                }
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                await ErrorResponses.WriteJsonAsync(context, 400, ex.Message, "ratelimit", cancellation: context.RequestAborted);
                return;
            }

            state.RateLimiter.Mode = mode ?? new RateLimitMode();
            await WriteJsonAsync(context, state.RateLimiter.Mode);
        });
        app.MapGet("/_control/ignoresize", context => WriteJsonAsync(context, new { state.IgnoreSize }));
        app.MapPost("/_control/ignoresize", async context =>
        {
            // {"ignoreSize": true}: a service that makes its default size whatever was asked.
            using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            state.IgnoreSize = document.RootElement.TryGetProperty("ignoreSize", out JsonElement value) && value.ValueKind == JsonValueKind.True;
            await WriteJsonAsync(context, new { state.IgnoreSize });
        });
        app.MapGet("/_control/holds", context => WriteJsonAsync(context, state.Holds.Snapshot()));
        app.MapPost("/_control/holds/{name}/release", context =>
        {
            state.Holds.Release((string)context.Request.RouteValues["name"]!);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        app.MapGet("/_control/holds/{name}/reached", context => AwaitHoldAsync(context, state));
        app.MapPost("/_control/reset", context =>
        {
            state.Reset();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Answers once the hold has been reached <c>?count=N</c> times (1 by default), so a script awaits the event
    /// instead of polling; 408 after <c>?timeoutMs=</c> (60 s by default), a safety bound for a hang only.
    /// </summary>
    private static async Task AwaitHoldAsync(HttpContext context, ServerState state)
    {
        string name = (string)context.Request.RouteValues["name"]!;
        int count = int.TryParse(context.Request.Query["count"], out int n) && n > 0 ? n : 1;
        int timeoutMs = int.TryParse(context.Request.Query["timeoutMs"], out int t) && t > 0 ? t : 60_000;
        try
        {
            await state.Holds.WhenReachedAsync(name, count).WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), context.RequestAborted);
        }
        catch (TimeoutException)
        {
            await ErrorResponses.WriteJsonAsync(context, 408, $"The hold '{name}' was reached {state.Holds.Reached(name)} time(s), not {count}, within {timeoutMs} ms.",
                "holds", cancellation: context.RequestAborted);
            return;
        }

        await WriteJsonAsync(context, new HoldState(name, state.Holds.Reached(name), state.Holds.IsReleased(name)));
    }

    /// <summary>Accepts one FaultSpec object or an array of them; all or none are queued.</summary>
    private static async Task AddFaultsAsync(HttpContext context, ServerState state)
    {
        List<FaultSpec> faults;
        try
        {
            using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            faults = document.RootElement.ValueKind switch
            {
                JsonValueKind.Array => document.RootElement.Deserialize<List<FaultSpec>>(ServerJson.Control) ?? [],
                JsonValueKind.Object => [document.RootElement.Deserialize<FaultSpec>(ServerJson.Control)!],
                _ => throw new JsonException("Expected a FaultSpec object or an array of them."),
            };
            foreach (FaultSpec fault in faults)
            {
                fault.Validate();
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            await ErrorResponses.WriteJsonAsync(context, 400, ex.Message, "faults", cancellation: context.RequestAborted);
            return;
        }

        foreach (FaultSpec fault in faults)
        {
            state.Faults.Enqueue(fault);
        }

        await WriteJsonAsync(context, new { Queued = faults.Count, Pending = state.Faults.Snapshot().Count });
    }

    private static Task WriteJsonAsync<T>(HttpContext context, T value)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, ServerJson.Control, context.RequestAborted);
    }
}
