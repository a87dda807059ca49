using System;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// The refusals of new-api (QuantumNous/new-api), the relay most OpenAI-compatible gateways run: 429, no
/// Retry-After, <c>{"error":{"message":"…","type":"new_api_error","code":""}}</c>, the message ending with a request id.
/// </summary>
internal static class NewApiLimits
{
    private static int _requestIds;

    /// <summary>
    /// The window limit's message. new-api counts windows in whole minutes and names them; a window of seconds
    /// (as tests run) has no minute count to name, so its message carries no numbers, as a client must cope with.
    /// </summary>
    public static string WindowMessage(RateLimitMode mode)
    {
        string counted = mode.WindowCountsRefused ? "总请求数限制" : "请求数限制";
        string tail = mode.WindowCountsRefused ? "，包括失败次数，请检查您的请求是否正确" : "";
        return mode.WindowMs % 60_000 == 0 && mode.WindowLimit is { } limit
            ? $"您已达到{counted}：{mode.WindowMs / 60_000}分钟内最多请求{limit}次{tail}"
            : $"您已达到{counted}{tail}";
    }

    public static string InFlightMessage(RateLimitMode mode) =>
        $"You have reached the concurrent request limit: at most {mode.AdmitAtOnce} in-flight requests";

    public static Task WriteAsync(HttpContext context, string message, CancellationToken cancellation)
    {
        string requestId = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)
            + Interlocked.Increment(ref _requestIds).ToString("x8", CultureInfo.InvariantCulture);
        using var buffer = new System.IO.MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ServerJson.Api.Encoder }))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", $"{message} (request id: {requestId})");
            json.WriteString("type", "new_api_error");
            json.WriteString("code", "");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return ErrorResponses.WriteAsync(context, 429, "application/json; charset=utf-8", buffer.ToArray(), cancellation);
    }
}
