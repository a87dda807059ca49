using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// What gpt-image adds to an answer: token usage and the settings used, beside <c>data</c>; and, with
/// <c>stream: true</c>, server-sent events as OpenAI sends them: <c>image_generation.partial_image</c> (or
/// <c>image_edit.partial_image</c>) per preview, then <c>*.completed</c> with the final image and its usage.
/// </summary>
internal static class ImageEvents
{
    /// <summary>The members after <c>data</c> in a gpt-image answer, e.g. <c>"background":"opaque","output_format":"png",...</c>.</summary>
    public static string GptImageMembers(ImageRequest request, ImageFormat format)
    {
        var json = new StringBuilder();
        json.Append("\"background\":").Append(Quote(Background(request)));
        json.Append(",\"output_format\":").Append(Quote(FormatName(format)));
        json.Append(",\"quality\":").Append(Quote(QualityOf(request)));
        json.Append(",\"size\":").Append(Quote(request.Pixels.ToString()));
        json.Append(",\"usage\":").Append(Usage(request));
        return json.ToString();
    }

    public static async Task WriteStreamAsync(HttpContext context, RecordedRequest record, ImageRequest request, ImageFormat format, bool generations,
        FaultSpec? fault, Func<Task>? midBody, CancellationToken cancellation)
    {
        string prefix = generations ? "image_generation" : "image_edit";
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        int previews = request.PartialImages ?? 0;
        for (int i = 0; i < previews; i++)
        {
            // Previews grow towards the final size, so each is a distinct, valid image.
            var size = new PixelSize(Math.Max(1, request.Pixels.Width * (i + 1) / (previews + 1)), Math.Max(1, request.Pixels.Height * (i + 1) / (previews + 1)));
            byte[] preview = ImageFactory.Get(format, size, 0);
            await WriteEventAsync(context, $"{prefix}.partial_image",
                $"{{\"type\":\"{prefix}.partial_image\",\"b64_json\":\"{Convert.ToBase64String(preview)}\",\"partial_image_index\":{i},"
                + $"\"created_at\":{created},{Settings(request, format)}}}", cancellation);
            if (i == 0 && midBody is not null)
            {
                // The first preview is out and the rest waits on the test: it can stop the client between the two.
                await midBody();
            }
        }

        if (fault is { Truncate: true })
        {
            // The stream stops where the final image should have come, the connection cut as a failing proxy cuts it.
            record.Outcome = "truncated";
            await context.Response.WriteAsync($"event: {prefix}.completed\ndata: {{\"type\":\"{prefix}.completed\",\"b64_json\":\"iVBORw0KGgo", cancellation);
            await context.Response.Body.FlushAsync(cancellation);
            await Task.Delay(100, cancellation);
            context.Abort();
            return;
        }

        record.Outcome = "200";
        for (int n = 0; n < request.N; n++)
        {
            byte[] image = ImageFactory.Get(format, request.Pixels, fault?.PayloadBytes ?? 0);
            await WriteEventAsync(context, $"{prefix}.completed",
                $"{{\"type\":\"{prefix}.completed\",\"b64_json\":\"{Convert.ToBase64String(image)}\",\"created_at\":{created},"
                + $"{Settings(request, format)},\"usage\":{Usage(request)}}}", cancellation);
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string name, string data, CancellationToken cancellation)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", cancellation);
        await context.Response.Body.FlushAsync(cancellation);
    }

    private static string Settings(ImageRequest request, ImageFormat format) =>
        $"\"size\":{Quote(request.Pixels.ToString())},\"quality\":{Quote(QualityOf(request))},\"background\":{Quote(Background(request))},"
        + $"\"output_format\":{Quote(FormatName(format))}";

    /// <summary>Tokens that depend on the request, so a test can tell one answer's usage from another's.</summary>
    private static string Usage(ImageRequest request)
    {
        int text = 10 + (request.Prompt?.Length ?? 0) / 4;
        int images = 0; // the fake does not charge for input images
        int output = QualityOf(request) switch { "low" => 272, "medium" => 1056, _ => 4160 } * request.N;
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"input_tokens\":{text + images},\"input_tokens_details\":{{\"image_tokens\":{images},\"text_tokens\":{text}}},\"output_tokens\":{output},\"total_tokens\":{text + images + output}}}");
    }

    private static string QualityOf(ImageRequest request) =>
        request.Quality is "low" or "medium" or "high" ? request.Quality : "high";

    private static string Background(ImageRequest request) => request.Background == "transparent" ? "transparent" : "opaque";

    private static string FormatName(ImageFormat format) => format.Extension() == "jpg" ? "jpeg" : format.Extension();

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
