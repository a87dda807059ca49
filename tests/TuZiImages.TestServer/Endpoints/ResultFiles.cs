using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// The result origin: a different port from the API, like the CDN the real service links to, so tests can check
/// that a client does not send its API key there.
/// </summary>
internal static class ResultFiles
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static void Map(WebApplication app, ServerState state)
    {
        app.Use(async (context, next) =>
        {
            state.Downloads.Add(new RecordedDownload
            {
                Path = context.Request.Path.Value ?? "",
                Method = context.Request.Method,
                Headers = HeaderRecorder.Capture(context.Request.Headers),
                ReceivedAt = DateTimeOffset.UtcNow,
            });
            await next(context);
            state.Log($"{context.Request.Method} {state.ResultBaseAddress}{context.Request.Path.Value?.TrimStart('/')} -> {context.Response.StatusCode}");
        });

        app.MapMethods("/files/{name}", GetOrHead, context => ServeAsync(context, state));
        app.MapMethods("/redirect/{name}", GetOrHead, context =>
        {
            string name = (string)context.Request.RouteValues["name"]!;
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = new Uri(state.ResultBaseAddress, "files/" + name).AbsoluteUri;
            return Task.CompletedTask;
        });
        app.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    private static async Task ServeAsync(HttpContext context, ServerState state)
    {
        if (state.DownloadFaults.Take(null) is { } fault)
        {
            if (fault.Reset)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = fault.Status ?? StatusCodes.Status500InternalServerError;
            return;
        }

        string name = (string)context.Request.RouteValues["name"]!;
        int dot = name.LastIndexOf('.');
        StoredImage? image = dot > 0 ? state.Images.Find(name[..dot]) : null;
        if (image is null || !image.Format.MatchesExtension(name[(dot + 1)..]))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = image.Format.MediaType();
        context.Response.ContentLength = image.Bytes.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(image.Bytes, context.RequestAborted);
        }
    }
}
