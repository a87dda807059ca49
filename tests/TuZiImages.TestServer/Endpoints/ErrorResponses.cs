using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace TuZiImages.TestServer.Endpoints;

internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);

internal sealed record ErrorEnvelope(ErrorDetail Error);

/// <summary>Error bodies as OpenAI-compatible services send them, and as the gateways in front of them do.</summary>
internal static class ErrorResponses
{
    public static Task WriteJsonAsync(HttpContext context, int status, string message, string? param = null, string? code = null, CancellationToken cancellation = default)
    {
        var envelope = new ErrorEnvelope(new ErrorDetail(message, TypeFor(status), param, code ?? CodeFor(status)));
        return WriteAsync(context, status, "application/json", JsonSerializer.SerializeToUtf8Bytes(envelope, ServerJson.Api), cancellation);
    }

    /// <summary>The page nginx shows when the upstream fails: no JSON at all, which clients must survive.</summary>
    public static Task WriteHtmlAsync(HttpContext context, int status, string? detail, CancellationToken cancellation)
    {
        string title = $"{status} {ReasonPhrases.GetReasonPhrase(status)}";
        string extra = detail is null ? "" : $"<p>{WebUtility.HtmlEncode(detail)}</p>";
        string page = $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n{extra}<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        return WriteAsync(context, status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(page), cancellation);
    }

    public static async Task WriteAsync(HttpContext context, int status, string contentType, byte[] body, CancellationToken cancellation)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellation);
    }

    public static string DefaultMessage(int status) => $"HTTP {status} {ReasonPhrases.GetReasonPhrase(status)} (a fault of the fake tu-zi server).";

    private static string TypeFor(int status) => status switch
    {
        401 or 400 or 404 or 405 or 413 or 422 => "invalid_request_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "api_error",
    };

    private static string? CodeFor(int status) => status switch
    {
        401 => "invalid_api_key",
        429 => "rate_limit_exceeded",
        503 => "service_unavailable",
        _ => null,
    };
}
