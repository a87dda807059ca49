using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// <c>GET /v1/models</c>: the models the key's group has, as new-api gateways list them (OpenAI's shape plus
/// <c>supported_endpoint_types</c>). Recorded like the images requests; a bad key gets the same 401.
/// </summary>
internal static class Models
{
    public const string Path = "/v1/models";

    public static async Task HandleAsync(HttpContext context, ServerState state)
    {
        var record = new RecordedRequest
        {
            Id = "req_" + Guid.NewGuid().ToString("N")[..24],
            Path = context.Request.Path.Value ?? "",
            Method = context.Request.Method,
            ContentType = context.Request.ContentType,
            Headers = HeaderRecorder.Capture(context.Request.Headers),
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        state.Requests.Add(record);
        context.Response.Headers["X-Request-Id"] = record.Id;
        record.ResponseRequestId = record.Id;

        // A fault queued for the "models" prompt shapes this answer, as prompts select faults for images requests.
        FaultSpec? fault = state.Faults.Take(Path);
        record.Fault = fault;
        try
        {
            if (fault is { DelayMs: > 0 })
            {
                await Task.Delay(fault.DelayMs, context.RequestAborted);
            }

            if (fault?.Hold is { } hold)
            {
                await state.HoldAsync(hold, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            record.Outcome = "aborted";
            return;
        }
        if (fault is { ReplacesResponse: true })
        {
            int status = fault.Status ?? 200;
            record.Outcome = status.ToString(CultureInfo.InvariantCulture);
            if (fault.Body is not null)
            {
                await ErrorResponses.WriteAsync(context, status, fault.ContentType ?? "application/json", Encoding.UTF8.GetBytes(fault.Body), context.RequestAborted);
            }
            else
            {
                await ErrorResponses.WriteJsonAsync(context, status, fault.Message ?? ErrorResponses.DefaultMessage(status), cancellation: context.RequestAborted);
            }

            state.Log($"GET {Path} -> {record.Outcome} (fault)");
            return;
        }

        string? authError = ImagesEndpoint.Authenticate(context, state.Options.ExpectedApiKey);
        if (authError is not null)
        {
            record.Outcome = "401";
            await ErrorResponses.WriteJsonAsync(context, 401, authError, code: "invalid_api_key", cancellation: context.RequestAborted);
            state.Log($"GET {Path} -> 401");
            return;
        }

        record.Outcome = "200";
        var body = new
        {
            @object = "list",
            data = state.Options.Models.Select((id, i) => new
            {
                id,
                @object = "model",
                // Gateways often send 0 for models they did not date.
                created = id.StartsWith("gpt-", StringComparison.Ordinal) ? 1714000000L + i : 0L,
                owned_by = Owner(id),
                supported_endpoint_types = id.Contains("image", StringComparison.Ordinal) || id.StartsWith("dall-e", StringComparison.Ordinal) || id.StartsWith("flux", StringComparison.Ordinal)
                    ? new[] { "image-generation" } : new[] { "openai" },
            }),
            success = true,
        };
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
        state.Log($"GET {Path} -> 200 ({state.Options.Models.Count} models)");
    }

    private static string Owner(string id) =>
        id.StartsWith("gemini", StringComparison.Ordinal) ? "vertex-ai"
        : id.StartsWith("gpt", StringComparison.Ordinal) || id.StartsWith("dall-e", StringComparison.Ordinal) ? "openai"
        : "custom";
}
