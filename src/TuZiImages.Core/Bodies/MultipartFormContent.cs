using System.Collections.Generic;
using System.IO;
using System.Net.Http.Headers;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Bodies;

/// <summary>
/// multipart/form-data written by hand: file parts stream from disk, the length is known in advance (no chunked
/// upload for gateways to choke on), and file names go out as raw UTF-8 the way browsers send them, rather than
/// the RFC 2047 / filename* forms that some servers cannot read.
/// </summary>
internal sealed class MultipartFormContent : SentTrackingContent
{
    private readonly string _boundary = "----TuZiImages" + Guid.NewGuid().ToString("N");
    private readonly List<(byte[] Header, InputImage? File, byte[]? Value)> _parts = new();

    public MultipartFormContent()
    {
        var contentType = new MediaTypeHeaderValue("multipart/form-data");
        contentType.Parameters.Add(new NameValueHeaderValue("boundary", _boundary));
        Headers.ContentType = contentType;
    }

    public void AddText(string name, string value)
    {
        string header = $"--{_boundary}\r\nContent-Disposition: form-data; name=\"{Escape(name)}\"\r\n\r\n";
        _parts.Add((Encoding.UTF8.GetBytes(header), null, Encoding.UTF8.GetBytes(value)));
    }

    public void AddFile(string name, InputImage file)
    {
        string header = $"--{_boundary}\r\nContent-Disposition: form-data; name=\"{Escape(name)}\"; filename=\"{Escape(file.FileName)}\"\r\n"
            + $"Content-Type: {file.Format.ContentType}\r\n\r\n";
        _parts.Add((Encoding.UTF8.GetBytes(header), file, null));
    }

    /// <summary>The HTML form encoding of names: quotes and line breaks percent-encoded, all else as UTF-8.</summary>
    private static string Escape(string value) =>
        value.Replace("\"", "%22").Replace("\r", "%0D").Replace("\n", "%0A");

    private byte[] Closing => Encoding.ASCII.GetBytes($"--{_boundary}--\r\n");

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        byte[] lineBreak = { (byte)'\r', (byte)'\n' };
        foreach (var (header, file, value) in _parts)
        {
            await stream.WriteAsync(header, 0, header.Length).ConfigureAwait(false);
            if (file is not null)
            {
                using var source = file.OpenRead();
                await source.CopyToAsync(stream, CopyBufferSize).ConfigureAwait(false);
            }
            else
            {
                await stream.WriteAsync(value!, 0, value!.Length).ConfigureAwait(false);
            }
            await stream.WriteAsync(lineBreak, 0, 2).ConfigureAwait(false);
        }
        var closing = Closing;
        await stream.WriteAsync(closing, 0, closing.Length).ConfigureAwait(false);
        MarkSentInFull();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Closing.Length;
        foreach (var (header, file, value) in _parts)
        {
            length += header.Length + (file?.Length ?? value!.Length) + 2;
        }
        return true;
    }
}
