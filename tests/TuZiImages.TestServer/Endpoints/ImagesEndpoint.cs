using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// Everything under <c>/v1/images/</c>. The order matters and mirrors what tests need: read and record the whole
/// request first (so a 401 or a fault still shows what the client sent), then faults, then auth, then validation.
/// </summary>
internal static class ImagesEndpoint
{
    public const string GenerationsPath = "/v1/images/generations";
    public const string EditsPath = "/v1/images/edits";

    public static async Task HandleAsync(HttpContext context, ServerState state)
    {
        state.EnterRequest();
        RecordedRequest record = Begin(context);
        state.Requests.Add(record);
        context.Response.Headers["X-Request-Id"] = record.Id;
        record.ResponseRequestId = record.Id;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping);
        try
        {
            await HandleCoreAsync(context, state, record, cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            record.Outcome = state.Stopping.IsCancellationRequested ? "stopped" : "aborted";
            context.Abort();
        }
        catch (IOException)
        {
            // The client went away mid-upload (Kestrel's BadHttpRequestException is an IOException too).
            record.Outcome = "aborted";
            context.Abort();
        }
        finally
        {
            state.ExitRequest();
            state.Log($"{record.Method} {record.Path} -> {record.Outcome} {Describe(record)}");
        }
    }

    internal static RecordedRequest Begin(HttpContext context)
    {
        HttpRequest request = context.Request;
        return new RecordedRequest
        {
            Id = "req_" + Guid.NewGuid().ToString("N")[..24],
            Path = request.Path.Value ?? "",
            Method = request.Method,
            ContentType = request.ContentType,
            Headers = HeaderRecorder.Capture(request.Headers),
            ReceivedAt = DateTimeOffset.UtcNow,
            ChunkedTransfer = request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase),
            ContentLength = request.ContentLength,
        };
    }

    private static async Task HandleCoreAsync(HttpContext context, ServerState state, RecordedRequest record, CancellationToken cancellation)
    {
        bool generations = record.Path.Equals(GenerationsPath, StringComparison.OrdinalIgnoreCase);
        if (!generations && !record.Path.Equals(EditsPath, StringComparison.OrdinalIgnoreCase))
        {
            record.Outcome = "404";
            await ErrorResponses.WriteJsonAsync(context, 404, $"Invalid URL ({record.Method} {record.Path})", cancellation: cancellation);
            return;
        }

        if (!HttpMethods.IsPost(record.Method))
        {
            record.Outcome = "405";
            context.Response.Headers.Allow = "POST";
            await ErrorResponses.WriteJsonAsync(context, 405, $"Method {record.Method} is not allowed on {record.Path}; use POST.", cancellation: cancellation);
            return;
        }

        if (state.Faults.TakeBeforeBody() is { } early)
        {
            await ActBeforeBodyAsync(context, state, record, early, cancellation);
            return;
        }

        ImageRequest request = generations
            ? await Generations.ReadAsync(context, record, cancellation)
            : await Edits.ReadAsync(context, record, cancellation);

        if (!state.RateLimiter.TryEnter(out RateLimitMode mode, out Refusal refusal))
        {
            await WriteRateLimitedAsync(context, record, mode, refusal, cancellation);
            return;
        }

        try
        {
            await HandleAdmittedAsync(context, state, record, request, cancellation);
        }
        finally
        {
            state.RateLimiter.Leave();
        }
    }

    /// <summary>
    /// A fault that meets the request before its body is read: the connection is dropped, or an answer comes, while a
    /// client with a large body is still sending it (the rest is never read).
    /// </summary>
    private static async Task ActBeforeBodyAsync(HttpContext context, ServerState state, RecordedRequest record, FaultSpec fault, CancellationToken cancellation)
    {
        record.Fault = fault;
        if (fault.Hold is { } hold)
        {
            await state.Holds.WaitAsync(hold, cancellation);
        }

        if (fault.Reset || !fault.ReplacesResponse)
        {
            record.Outcome = "reset before the body";
            context.Abort();
            return;
        }

        // Kestrel would otherwise wait to drain the unread body before it sends the answer's end.
        context.Response.Headers.Connection = "close";
        await WriteFaultAsync(context, record, fault, cancellation);
        await context.Response.CompleteAsync();
        context.Abort();
    }

    /// <summary>What a concurrency-limited gateway answers past its limit: at once, having done no work.</summary>
    private static Task WriteRateLimitedAsync(HttpContext context, RecordedRequest record, RateLimitMode mode, Refusal refusal, CancellationToken cancellation)
    {
        record.Outcome = "429";
        record.RateLimited = true;
        if (mode.NewApi)
        {
            return NewApiLimits.WriteAsync(context, refusal == Refusal.Window ? NewApiLimits.WindowMessage(mode) : NewApiLimits.InFlightMessage(mode), cancellation);
        }

        if (mode.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (mode.RetryAfterMs is { } ms)
        {
            context.Response.Headers["retry-after-ms"] = ms.ToString(CultureInfo.InvariantCulture);
        }

        string message = refusal == Refusal.Window
            ? $"Rate limit reached: at most {mode.WindowLimit} requests per {mode.WindowMs} ms for this key. Please try again later."
            : mode.AdmitAtOnce == 0
            ? "Rate limit reached for this key. Please try again later."
            : $"Concurrency limit reached: at most {mode.AdmitAtOnce} requests at once for this key. Please try again later.";
        return ErrorResponses.WriteJsonAsync(context, 429, message, code: "rate_limit_exceeded", cancellation: cancellation);
    }

    private static async Task HandleAdmittedAsync(HttpContext context, ServerState state, RecordedRequest record, ImageRequest request, CancellationToken cancellation)
    {
        FaultSpec? fault = state.Faults.Take(request.Prompt) ?? PromptFaults.Find(request.Prompt);
        record.Fault = fault;
        ApplyFaultHeaders(context, record, fault);

        int delay = state.Options.LatencyMs + (fault?.DelayMs ?? 0);
        if (delay > 0)
        {
            await Task.Delay(delay, cancellation);
        }

        if (fault?.Hold is { } hold)
        {
            await state.Holds.WaitAsync(hold, cancellation);
        }

        if (fault is { Reset: true })
        {
            record.Outcome = "reset";
            context.Abort();
            return;
        }

        if (fault is { ReplacesResponse: true })
        {
            await WriteFaultAsync(context, record, fault, cancellation);
            return;
        }

        string? authError = Authenticate(context, state.Options.ExpectedApiKey);
        if (authError is not null)
        {
            record.Outcome = "401";
            await ErrorResponses.WriteJsonAsync(context, 401, WithEchoedKey(authError, context, fault), code: "invalid_api_key", cancellation: cancellation);
            return;
        }

        if (request.Error is { } error)
        {
            record.Outcome = "400";
            await ErrorResponses.WriteJsonAsync(context, 400, WithEchoedKey(error.Message, context, fault), error.Param, "invalid_value", cancellation);
            return;
        }

        if (state.IgnoreSize)
        {
            request.IgnoreRequestedSize();
        }

        await WriteImagesAsync(context, state, record, request, fault, cancellation);
    }

    private static void ApplyFaultHeaders(HttpContext context, RecordedRequest record, FaultSpec? fault)
    {
        if (fault?.RequestId is { } requestId)
        {
            if (requestId.Length == 0)
            {
                context.Response.Headers.Remove("X-Request-Id");
                record.ResponseRequestId = null;
            }
            else
            {
                context.Response.Headers["X-Request-Id"] = requestId;
                record.ResponseRequestId = requestId;
            }
        }

        if (fault?.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (fault?.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }
    }

    /// <summary>Null when the bearer key is acceptable, else the message the service would give.</summary>
    internal static string? Authenticate(HttpContext context, string? expectedKey)
    {
        string? header = context.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim().Length == 0)
        {
            return "The Authorization header must be 'Bearer <key>'.";
        }

        if (expectedKey is not null && !string.Equals(header[7..].Trim(), expectedKey, StringComparison.Ordinal))
        {
            return "Incorrect API key provided.";
        }

        return null;
    }

    private static string WithEchoedKey(string message, HttpContext context, FaultSpec? fault) =>
        fault is { EchoApiKey: true } ? $"{message} (Authorization: {context.Request.Headers.Authorization})" : message;

    private static async Task WriteFaultAsync(HttpContext context, RecordedRequest record, FaultSpec fault, CancellationToken cancellation)
    {
        int status = fault.Status ?? (fault.Body is not null ? 200 : fault.Html ? 502 : 302);
        record.Outcome = status.ToString(CultureInfo.InvariantCulture);
        string message = WithEchoedKey(fault.Message ?? ErrorResponses.DefaultMessage(status), context, fault);
        if (fault.Body is not null)
        {
            await ErrorResponses.WriteAsync(context, status, fault.ContentType ?? "application/json", System.Text.Encoding.UTF8.GetBytes(fault.Body), cancellation);
        }
        else if (fault.Html)
        {
            await ErrorResponses.WriteHtmlAsync(context, status, fault.Message is null && !fault.EchoApiKey ? null : message, cancellation);
        }
        else
        {
            await ErrorResponses.WriteJsonAsync(context, status, message, cancellation: cancellation);
        }
    }

    private static async Task WriteImagesAsync(HttpContext context, ServerState state, RecordedRequest record, ImageRequest request, FaultSpec? fault, CancellationToken cancellation)
    {
        ImageFormat format = fault?.ParsedFormat ?? request.ParsedOutputFormat ?? ImageFormat.Png;
        var items = new List<ResponseItem>();
        if (fault is not { EmptyData: true })
        {
            byte[]? image = fault is { NoImageData: true } ? null : ImageFactory.Get(format, request.Pixels, fault?.PayloadBytes ?? 0);
            if (image is not null && (fault is { ContentCredentials: true } || request.Prompt?.Contains("[c2pa]", StringComparison.Ordinal) == true))
            {
                image = ContentCredentials.Add(format, image, request.Pixels);
            }
            bool base64 = request.WantsBase64 || fault is { ForceB64: true };
            for (int i = 0; i < request.N; i++)
            {
                items.Add(ImageFaults.Shape(BuildItem(state, fault, format, image, base64), fault));
            }

            ImageFaults.Record(record, items, image);
            if (image is not null && fault?.Status is null or 200)
            {
                // new-api records usage when a request completes: every image of a successful answer is charged.
                state.Billing.Charge(request.Model, items.Count);
            }
        }

        if (request.Stream && fault is not { IgnoreStream: true } && fault?.Status is null or 200)
        {
            await ImageEvents.WriteStreamAsync(context, record, request, format, generations: record.Path.Equals(GenerationsPath, StringComparison.OrdinalIgnoreCase), fault,
                MidBodyHold(state, fault, cancellation), cancellation);
            return;
        }

        var body = new ImagesResponseBody(ImageFaults.Created(fault), items, fault is { EscapeSlashes: true })
        {
            TrailingJson = request.IsGptImage ? ImageEvents.GptImageMembers(request, format) : null,
        };
        int status = fault?.Status ?? 200;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";

        if (fault is { SlowBodyMs: > 0 })
        {
            record.Outcome = status.ToString(CultureInfo.InvariantCulture);
            await ImageFaults.WriteSlowlyAsync(context, await body.ToArrayAsync(cancellation), fault.SlowBodyMs, cancellation);
            return;
        }

        if (fault is { Truncate: true })
        {
            record.Outcome = "truncated";
            byte[] whole = await body.ToArrayAsync(cancellation);
            context.Response.ContentLength = whole.Length;
            await context.Response.Body.WriteAsync(whole.AsMemory(0, whole.Length / 2), cancellation);
            await context.Response.Body.FlushAsync(cancellation);

            // A flush hands the bytes to Kestrel's transport, not to the socket; aborting at once would drop them
            // and the client would see a bare reset instead of a cut-off body.
            await Task.Delay(100, cancellation);
            context.Abort();
            return;
        }

        record.Outcome = status.ToString(CultureInfo.InvariantCulture);
        if (fault is not { Chunked: true })
        {
            context.Response.ContentLength = await body.MeasureAsync(cancellation);
        }

        await body.WriteAsync(context.Response.BodyWriter, cancellation, MidBodyHold(state, fault, cancellation));
    }

    /// <summary>What a success body waits on in its middle: the fault's mid-body hold, if it names one.</summary>
    internal static Func<Task>? MidBodyHold(ServerState state, FaultSpec? fault, CancellationToken cancellation) =>
        fault?.HoldMidBody is { } hold ? () => state.Holds.WaitAsync(hold, cancellation) : null;

    private static ResponseItem BuildItem(ServerState state, FaultSpec? fault, ImageFormat format, byte[]? image, bool base64)
    {
        string? revised = fault?.RevisedPrompt;
        if (image is null)
        {
            return new ResponseItem { RevisedPrompt = revised };
        }

        if (base64)
        {
            return new ResponseItem { Field = "b64_json", Payload = image, RevisedPrompt = revised };
        }

        if (fault is { EmptyUrl: true })
        {
            return new ResponseItem { Field = "url", RevisedPrompt = revised };
        }

        switch (fault?.UrlAs)
        {
            case "data":
                return new ResponseItem { Field = "url", Prefix = $"data:{format.MediaType()};base64,", Payload = image, RevisedPrompt = revised };
            case "base64":
                return new ResponseItem { Field = "url", Payload = image, RevisedPrompt = revised };
            default:
                StoredImage stored = state.Images.Add(format, image);
                string route = fault is { RedirectResult: true } ? "redirect" : "files";
                var url = new Uri(state.ResultBaseAddress, $"{route}/{stored.Id}.{format.Extension()}");
                return new ResponseItem { Field = "url", Prefix = url.AbsoluteUri, RevisedPrompt = revised };
        }
    }

    private static string Describe(RecordedRequest record)
    {
        var parts = new List<string>();
        if (record.Field("prompt") is { } prompt)
        {
            parts.Add($"prompt=\"{(prompt.Length > 60 ? prompt[..57] + "..." : prompt)}\"");
        }

        foreach (string name in new[] { "size", "quality", "n", "response_format" })
        {
            if (record.Field(name) is { } value)
            {
                parts.Add($"{name}={value}");
            }
        }

        if (record.Files.Count > 0 || record.ImageUrls.Count > 0)
        {
            parts.Add($"files={record.Files.Count} urls={record.ImageUrls.Count}");
        }

        if (record.Fault is not null)
        {
            parts.Add("(fault)");
        }

        return string.Join(' ', parts);
    }
}
