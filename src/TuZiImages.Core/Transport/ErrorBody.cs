using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Transport;

/// <summary>What a failed answer said: the {"error":{...}} of the API, or an excerpt of a gateway's page.</summary>
internal sealed class ErrorBody
{
    private const int MaxBytes = 64 * 1024;
    private const int MaxExcerpt = 300;

    public string? Message { get; private set; }
    public string? Type { get; private set; }
    public string? Code { get; private set; }
    /// <summary>The body was an HTML page (a gateway's or CDN's), not the API's JSON.</summary>
    public bool IsHtmlPage { get; private set; }

    public static async Task<ErrorBody> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            bytes = await ReadAtMostAsync(stream, MaxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return new ErrorBody();
        }
        return Parse(bytes);
    }

    internal static ErrorBody Parse(byte[] bytes)
    {
        var result = new ErrorBody();
        if (bytes.Length == 0)
        {
            return result;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object)
                    {
                        result.Message = Text(error, "message");
                        result.Type = Text(error, "type");
                        result.Code = Text(error, "code");
                    }
                    else if (error.ValueKind == JsonValueKind.String)
                    {
                        result.Message = error.GetString();
                    }
                }
                // Gateways that are not OpenAI-shaped use these.
                result.Message ??= Text(root, "message") ?? Text(root, "detail") ?? Text(root, "msg");
                result.Code ??= Text(root, "code");
            }
            if (result.Message is not null)
            {
                result.Message = Excerpt(result.Message, 1000);
                return result;
            }
        }
        catch (JsonException)
        {
        }
        result.Message = Excerpt(TextOf(bytes, out bool html), MaxExcerpt);
        result.IsHtmlPage = html;
        return result;
    }

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>An HTML page becomes its title and text; anything else is cut to a readable length.</summary>
    private static string TextOf(byte[] bytes, out bool html)
    {
        string text = Encoding.UTF8.GetString(bytes);
        html = text.IndexOf('<') >= 0 && Regex.IsMatch(text, @"<\s*(html|body|head|title|h1|!doctype)", RegexOptions.IgnoreCase);
        if (html)
        {
            text = Regex.Replace(text, @"<(script|style)[^>]*>.*?</\1\s*>", " ", RegexOptions.IgnoreCase | RegexOptions.Singleline);
            text = Regex.Replace(text, "<[^>]*>", " ");
            text = System.Net.WebUtility.HtmlDecode(text);
        }
        return text;
    }

    internal static string Excerpt(string text, int max)
    {
        string collapsed = Regex.Replace(text, @"\s+", " ").Trim();
        return collapsed.Length <= max ? collapsed : collapsed.Substring(0, max - 3) + "...";
    }

    private static async Task<byte[]> ReadAtMostAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        var buffer = new byte[max];
        int total = 0;
        while (total < max)
        {
            int n = await stream.ReadAsync(buffer, total, max - total, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        Array.Resize(ref buffer, total);
        return buffer;
    }
}
