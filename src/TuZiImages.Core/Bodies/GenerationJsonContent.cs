using System.Buffers.Text;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http.Headers;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Bodies;

/// <summary>
/// The JSON body of a wire plan. Scalar fields go through Utf8JsonWriter; reference files are base64-encoded into
/// data URLs chunk by chunk as the body is sent, so a large file is never held in memory.
/// </summary>
internal sealed class GenerationJsonContent : SentTrackingContent
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Prompts in any language go out as UTF-8, not \u escapes: still valid JSON, and readable in a capture.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly byte[] _head;
    private readonly IReadOnlyList<WireFile> _images;
    /// <summary>The images' field, streamed after the rest.</summary>
    private readonly string _imagesOpening;

    public GenerationJsonContent(WirePlan plan)
    {
        _head = WriteHead(plan);
        _images = plan.Files;
        _imagesOpening = _images.Count > 0 ? ",\"" + _images[0].Name + "\":[" : "";
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    private static byte[] WriteHead(WirePlan plan)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in plan.Fields)
            {
                writer.WritePropertyName(name);
                AdditionalFieldValues.WriteJson(writer, value);
            }
            // The object stays open: the image array, if any, and the closing brace are streamed after it.
            writer.Flush();
        }
        return buffer.ToArray();
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(_head, 0, _head.Length).ConfigureAwait(false);
        var images = _images;
        if (images.Count > 0)
        {
            await WriteAscii(stream, _imagesOpening).ConfigureAwait(false);
            for (int i = 0; i < images.Count; i++)
            {
                if (i > 0)
                {
                    await WriteAscii(stream, ",").ConfigureAwait(false);
                }
                if (images[i].File is { } file)
                {
                    await WriteAscii(stream, "\"data:" + file.Format.ContentType + ";base64,").ConfigureAwait(false);
                    await WriteBase64Async(file, stream).ConfigureAwait(false);
                    await WriteAscii(stream, "\"").ConfigureAwait(false);
                }
                else
                {
                    var encoded = JsonEncodedText.Encode(images[i].Url!, WriterOptions.Encoder).EncodedUtf8Bytes.ToArray();
                    await WriteAscii(stream, "\"").ConfigureAwait(false);
                    await stream.WriteAsync(encoded, 0, encoded.Length).ConfigureAwait(false);
                    await WriteAscii(stream, "\"").ConfigureAwait(false);
                }
            }
            await WriteAscii(stream, "]").ConfigureAwait(false);
        }
        await WriteAscii(stream, "}").ConfigureAwait(false);
        MarkSentInFull();
    }

    private static async Task WriteBase64Async(InputImage file, Stream destination)
    {
        const int RawChunk = 3 * 16384; // a multiple of 3, so only the last chunk can need padding
        byte[] raw = ArrayPool<byte>.Shared.Rent(RawChunk);
        byte[] encoded = ArrayPool<byte>.Shared.Rent(Base64.GetMaxEncodedToUtf8Length(RawChunk));
        try
        {
            using var source = file.OpenRead();
            while (true)
            {
                int filled = 0;
                while (filled < RawChunk)
                {
                    int n = await source.ReadAsync(raw, filled, RawChunk - filled).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }
                    filled += n;
                }
                if (filled == 0)
                {
                    break;
                }
                int written = Encode(raw, filled, encoded);
                await destination.WriteAsync(encoded, 0, written).ConfigureAwait(false);
                if (filled < RawChunk)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    private static int Encode(byte[] raw, int count, byte[] encoded)
    {
        Base64.EncodeToUtf8(raw.AsSpan(0, count), encoded, out _, out int written, isFinalBlock: true);
        return written;
    }

    private static Task WriteAscii(Stream stream, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        return stream.WriteAsync(bytes, 0, bytes.Length);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _head.Length + 1; // the closing brace
        var images = _images;
        if (images.Count > 0)
        {
            length += _imagesOpening.Length + (images.Count - 1) + 1;
            foreach (var image in images)
            {
                if (image.File is { } file)
                {
                    length += ("\"data:" + file.Format.ContentType + ";base64,").Length + ((file.Length + 2) / 3 * 4) + 1;
                }
                else
                {
                    length += JsonEncodedText.Encode(image.Url!, WriterOptions.Encoder).EncodedUtf8Bytes.Length + 2;
                }
            }
        }
        return true;
    }
}
