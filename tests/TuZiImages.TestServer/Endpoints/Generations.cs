using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>Reads <c>POST /v1/images/generations</c>: a JSON object, recorded raw and field by field.</summary>
internal static class Generations
{
    private static readonly string[] StringFields = ["model", "size", "quality", "response_format", "style", "user", "output_format", "background", "moderation", "input_fidelity", "aspect_ratio"];

    /// <summary>Integer fields with the range the API documents.</summary>
    private static readonly string[] IntegerFields = ["output_compression", "partial_images"];

    public static async Task<ImageRequest> ReadAsync(HttpContext context, RecordedRequest record, CancellationToken cancellation)
    {
        var request = new ImageRequest();
        byte[] body = await ReadBodyAsync(context.Request, cancellation);
        record.Json = Encoding.UTF8.GetString(body);

        if (!IsJsonMediaType(context.Request.ContentType))
        {
            request.Fail("Content-Type", $"Content-Type must be application/json; got '{context.Request.ContentType}'.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            // OpenAI's own wording for an unparseable body.
            request.Fail("body", "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)");
            return request;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                request.Fail("body", "The request body must be a JSON object.");
                return request;
            }

            var fields = new List<RecordedField>();
            var files = new List<RecordedFile>();
            var urls = new List<string>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                JsonElement value = property.Value;
                fields.Add(new RecordedField(property.Name, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()));
                Apply(request, property.Name, value, files, urls);
            }

            record.Fields = fields;
            record.Files = files;
            record.ImageUrls = urls;
            ModelDialects.RefuseUnknown(request, edits: false, fields.Select(f => f.Name));
        }

        request.Validate();
        return request;
    }

    private static void Apply(ImageRequest request, string name, JsonElement value, List<RecordedFile> files, List<string> urls)
    {
        if (name == "prompt")
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                request.Prompt = value.GetString();
            }
            else
            {
                request.Fail("prompt", "prompt must be a string.");
            }
        }
        else if (name == "n")
        {
            // The contract says integer; "2" or 2.0 from a sloppy serializer is the client's bug to catch.
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && value.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0)
            {
                request.N = n;
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                request.Fail("n", $"n must be an integer between 1 and {ImageRequest.MaxImages}; got {value.GetRawText()}.");
            }
        }
        else if (name == "image")
        {
            ReadImages(request, value, files, urls);
        }
        else if (name == "stream")
        {
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                request.Stream = value.GetBoolean();
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                request.Fail("stream", $"stream must be a boolean; got {value.GetRawText()}.");
            }
        }
        else if (Array.IndexOf(IntegerFields, name) >= 0)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && value.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0)
            {
                if (name == "output_compression")
                {
                    request.OutputCompression = number;
                }
                else
                {
                    request.PartialImages = number;
                }
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                request.Fail(name, $"{name} must be an integer; got {value.GetRawText()}.");
            }
        }
        else if (Array.IndexOf(StringFields, name) >= 0)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                string text = value.GetString()!;
                switch (name)
                {
                    case "size": request.Size = text; break;
                    case "quality": request.Quality = text; break;
                    case "response_format": request.ResponseFormat = text; break;
                    case "output_format": request.OutputFormat = text; break;
                    case "model": request.Model = text; break;
                    case "background": request.Background = text; break;
                    case "moderation": request.Moderation = text; break;
                    case "input_fidelity": request.InputFidelity = text; break;
                    case "aspect_ratio": request.AspectRatio = text; break;
                }
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                request.Fail(name, $"{name} must be a string; got {value.GetRawText()}.");
            }
        }
    }

    private static void ReadImages(ImageRequest request, JsonElement value, List<RecordedFile> files, List<string> urls)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            request.Fail("image", "image must be an array of strings (URLs, data: URLs or base64).");
            return;
        }

        int index = 0;
        foreach (JsonElement element in value.EnumerateArray())
        {
            string param = $"image[{index++}]";
            if (element.ValueKind != JsonValueKind.String)
            {
                request.Fail(param, $"{param} must be a string.");
                continue;
            }

            string text = element.GetString()!;
            if (IsHttpUrl(text))
            {
                urls.Add(text);
            }
            else if (TryDecode(text, out byte[] bytes, out string? problem))
            {
                string sniffed = ContentSniffer.Sniff(bytes);
                files.Add(new RecordedFile
                {
                    FieldName = "image",
                    ContentType = sniffed,
                    SniffedContentType = sniffed,
                    Length = bytes.Length,
                    Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                });
            }
            else
            {
                request.Fail(param, $"{param} {problem}");
            }
        }
    }

    private static bool TryDecode(string text, out byte[] bytes, out string? problem)
    {
        bytes = [];
        problem = null;
        string base64 = text;
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            int comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !text.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                problem = "is a data: URL but not a base64 one (expected data:image/...;base64,...).";
                return false;
            }

            base64 = text[(comma + 1)..];
        }

        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            problem = "is neither an http(s) URL, a data: URL nor valid base64.";
            return false;
        }

        if (bytes.Length == 0)
        {
            problem = "is empty.";
            return false;
        }

        return true;
    }

    private static bool IsHttpUrl(string text) =>
        (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && Uri.TryCreate(text, UriKind.Absolute, out _);

    private static bool IsJsonMediaType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        string mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        using var buffer = request.ContentLength is long length and < int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellation);
        return buffer.ToArray();
    }
}
