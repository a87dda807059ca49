using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// Reads <c>POST /v1/images/edits</c> as a stream of multipart sections: file parts are hashed as they arrive and
/// never held in memory, so a benchmark uploading many megabytes measures the client, not this server.
/// </summary>
internal static class Edits
{
    private const int MaxTextPartBytes = 1024 * 1024;
    private const int CopyBufferBytes = 64 * 1024;

    public static async Task<ImageRequest> ReadAsync(HttpContext context, RecordedRequest record, CancellationToken cancellation)
    {
        var request = new ImageRequest();
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out MediaTypeHeaderValue? mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            request.Fail("Content-Type", $"Content-Type must be multipart/form-data; got '{context.Request.ContentType}'.");
            return request;
        }

        string? boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            request.Fail("Content-Type", "multipart/form-data needs a boundary parameter.");
            return request;
        }

        var fields = new List<RecordedField>();
        var files = new List<RecordedFile>();
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync(cancellation) is { } section)
            {
                ContentDispositionHeaderValue? disposition = section.GetContentDispositionHeader();
                if (disposition is null || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    request.Fail("body", "Every multipart section needs Content-Disposition: form-data.");
                    await section.Body.DrainAsync(cancellation);
                    continue;
                }

                string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                string? fileName = FileNameOf(disposition);
                if (fileName is not null || name is "image" or "image[]" or "mask")
                {
                    files.Add(await HashFilePartAsync(section, name, fileName, cancellation));
                }
                else
                {
                    string? value = await ReadTextPartAsync(section.Body, cancellation);
                    if (value is null)
                    {
                        request.Fail(name, $"{name} is longer than {MaxTextPartBytes} bytes.");
                        continue;
                    }

                    fields.Add(new RecordedField(name, value));
                    Apply(request, name, value);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            request.Fail("body", $"The multipart body could not be parsed: {ex.Message}");
        }
        finally
        {
            record.Fields = fields;
            record.Files = files;
        }

        ModelDialects.RefuseUnknown(request, edits: true, fields.Select(f => f.Name).Concat(files.Select(f => f.FieldName)));
        CheckFiles(request, files);
        ModelDialects.CheckImages(request, files);
        request.Validate();
        return request;
    }

    private static void Apply(ImageRequest request, string name, string value)
    {
        switch (name)
        {
            case "prompt":
                request.Prompt = value;
                break;
            case "n":
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                {
                    request.N = n;
                }
                else
                {
                    request.Fail("n", $"n must be an integer between 1 and {ImageRequest.MaxImages}; got '{value}'.");
                }

                break;
            case "size":
                request.Size = value;
                break;
            case "quality":
                request.Quality = value;
                break;
            case "response_format":
                request.ResponseFormat = value;
                break;
            case "output_format":
                request.OutputFormat = value;
                break;
            case "model":
                request.Model = value;
                break;
            case "background":
                request.Background = value;
                break;
            case "input_fidelity":
                request.InputFidelity = value;
                break;
            case "moderation":
                request.Moderation = value;
                break;
            case "aspect_ratio":
                request.AspectRatio = value;
                break;
            case "output_compression" or "partial_images":
                if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
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
                else
                {
                    request.Fail(name, $"{name} must be an integer; got '{value}'.");
                }

                break;
            case "stream":
                if (bool.TryParse(value, out bool stream))
                {
                    request.Stream = stream;
                }
                else
                {
                    request.Fail("stream", $"stream must be true or false; got '{value}'.");
                }

                break;
        }
    }

    private static void CheckFiles(ImageRequest request, List<RecordedFile> files)
    {
        int images = 0;
        foreach (RecordedFile file in files)
        {
            if (file.FieldName is "image" or "image[]")
            {
                images++;
            }

            if (file.Length == 0)
            {
                request.Fail(file.FieldName, $"The {file.FieldName} file '{file.FileName}' is empty.");
            }
        }

        if (images == 0)
        {
            request.Fail("image", "image is required: send at least one file part named 'image'.");
        }
    }

    internal static string? FileNameOf(ContentDispositionHeaderValue disposition)
    {
        if (disposition.FileNameStar.HasValue)
        {
            return disposition.FileNameStar.Value;
        }

        return disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : null;
    }

    internal static async Task<RecordedFile> HashFilePartAsync(MultipartSection section, string name, string? fileName, CancellationToken cancellation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        var prefix = new byte[ContentSniffer.PrefixLength];
        int prefixLength = 0;
        long length = 0;
        try
        {
            int read;
            while ((read = await section.Body.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), cancellation)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                if (prefixLength < prefix.Length)
                {
                    int take = Math.Min(read, prefix.Length - prefixLength);
                    Array.Copy(buffer, 0, prefix, prefixLength, take);
                    prefixLength += take;
                }

                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new RecordedFile
        {
            FieldName = name,
            FileName = fileName,
            ContentType = section.ContentType,
            SniffedContentType = ContentSniffer.Sniff(prefix.AsSpan(0, prefixLength)),
            Length = length,
            Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
        };
    }

    /// <summary>The part's text, or null (after draining it) when it is too long to be a form field.</summary>
    internal static async Task<string?> ReadTextPartAsync(Stream body, CancellationToken cancellation)
    {
        using var text = new MemoryStream();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), cancellation)) > 0)
            {
                if (text.Length + read > MaxTextPartBytes)
                {
                    await body.DrainAsync(cancellation);
                    return null;
                }

                text.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }
}
