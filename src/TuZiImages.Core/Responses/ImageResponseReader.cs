using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.Saving;

namespace TuZiImages.Core.Responses;

/// <summary>
/// Reads {"created":..., "data":[...]} from the socket. Image bytes, whether in b64_json or smuggled into url
/// as a data URL or bare base64, are decoded straight into temporary files as they arrive.
/// </summary>
internal static class ImageResponseReader
{
    private const int MaxUrlBytes = 64 * 1024;
    private const int MaxTextBytes = 16 * 1024;

    public static async Task<ParsedResponse> ReadAsync(Stream body, SaveSession session, CancellationToken cancellationToken)
    {
        using var reader = new StreamingJsonReader(body, cancellationToken);
        var response = new ParsedResponse();
        if (await reader.PeekAsync().ConfigureAwait(false) != '{')
        {
            throw reader.Malformed("the answer is not a JSON object");
        }
        if (await reader.BeginContainerAsync('{', '}').ConfigureAwait(false))
        {
            do
            {
                string name = await reader.ReadPropertyNameAsync().ConfigureAwait(false);
                switch (name)
                {
                    case "created":
                        response.Created = await ReadCreatedAsync(reader).ConfigureAwait(false);
                        break;
                    case "data" when await reader.PeekAsync().ConfigureAwait(false) == '[':
                        response.HasData = true;
                        if (await reader.BeginContainerAsync('[', ']').ConfigureAwait(false))
                        {
                            do
                            {
                                response.Items.Add(await ReadItemAsync(reader, session).ConfigureAwait(false));
                            }
                            while (await reader.NextItemAsync(']').ConfigureAwait(false));
                        }
                        break;
                    case "error":
                        await ReadErrorAsync(reader, response).ConfigureAwait(false);
                        break;
                    case var field when ImageMetadataReader.Handles(field):
                        await ImageMetadataReader.ReadFieldAsync(reader, field, response.Metadata).ConfigureAwait(false);
                        break;
                    default:
                        await reader.SkipValueAsync().ConfigureAwait(false);
                        break;
                }
            }
            while (await reader.NextItemAsync('}').ConfigureAwait(false));
        }
        return response;
    }

    /// <summary>Whatever "created" holds, it never costs an image: what cannot be read as a time is no time.</summary>
    private static async ValueTask<DateTimeOffset?> ReadCreatedAsync(StreamingJsonReader reader)
    {
        int next = await reader.PeekAsync().ConfigureAwait(false);
        string? text;
        if (next == '"')
        {
            var sink = new TextSink(64);
            await reader.ReadStringAsync(sink).ConfigureAwait(false);
            text = sink.Truncated ? null : sink.ToString().Trim();
        }
        else if (next is '{' or '[')
        {
            await reader.SkipValueAsync().ConfigureAwait(false);
            return null;
        }
        else
        {
            text = await reader.ReadScalarAsync().ConfigureAwait(false);
        }
        return text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? UnixTime.FromSecondsOrMilliseconds(value)
            : null;
    }

    private static async ValueTask<ResponseItem> ReadItemAsync(StreamingJsonReader reader, SaveSession session)
    {
        var item = new ResponseItem();
        if (await reader.PeekAsync().ConfigureAwait(false) != '{')
        {
            await reader.SkipValueAsync().ConfigureAwait(false);
            return item;
        }
        if (!await reader.BeginContainerAsync('{', '}').ConfigureAwait(false))
        {
            return item;
        }
        do
        {
            string name = await reader.ReadPropertyNameAsync().ConfigureAwait(false);
            bool isString = await reader.PeekAsync().ConfigureAwait(false) == '"';
            switch (name)
            {
                case "b64_json" when isString && item.File is null:
                    item.File = await ReadBytesAsync(reader, new Base64FieldSink(session)).ConfigureAwait(false);
                    break;
                case "url" when isString && item.File is null:
                    var urlSink = new UrlFieldSink(session);
                    item.File = await ReadBytesAsync(reader, urlSink).ConfigureAwait(false);
                    item.Url = item.File is null ? urlSink.Url : null;
                    break;
                case "revised_prompt" when isString:
                    var text = new TextSink(MaxTextBytes);
                    await reader.ReadStringAsync(text).ConfigureAwait(false);
                    item.RevisedPrompt = text.ToString();
                    break;
                default:
                    await reader.SkipValueAsync().ConfigureAwait(false);
                    break;
            }
        }
        while (await reader.NextItemAsync('}').ConfigureAwait(false));
        return item;
    }

    internal static async ValueTask<PendingFile?> ReadBytesAsync(StreamingJsonReader reader, ImageFieldSink sink)
    {
        try
        {
            await reader.ReadStringAsync(sink).ConfigureAwait(false);
            return sink.Finish();
        }
        finally
        {
            sink.Dispose();
        }
    }

    /// <summary>
    /// "error": null, false, "", [] or an object with nothing in it is how OpenAI-style bodies say there was no
    /// error: only an error that says something is one.
    /// </summary>
    internal static async ValueTask ReadErrorAsync(StreamingJsonReader reader, ParsedResponse response)
    {
        int next = await reader.PeekAsync().ConfigureAwait(false);
        if (next == '"')
        {
            var text = new TextSink(MaxTextBytes);
            await reader.ReadStringAsync(text).ConfigureAwait(false);
            if (text.ToString() is { Length: > 0 } said)
            {
                response.ErrorMessage = said;
            }
            return;
        }
        if (next == '[')
        {
            if (await reader.BeginContainerAsync('[', ']').ConfigureAwait(false))
            {
                do
                {
                    await reader.SkipValueAsync(1).ConfigureAwait(false);
                }
                while (await reader.NextItemAsync(']').ConfigureAwait(false));
                response.ErrorMessage ??= "(no message)";
            }
            return;
        }
        if (next != '{')
        {
            if (await reader.ReadScalarAsync().ConfigureAwait(false) is not ("null" or "false"))
            {
                response.ErrorMessage ??= "(no message)";
            }
            return;
        }
        if (!await reader.BeginContainerAsync('{', '}').ConfigureAwait(false))
        {
            return;
        }
        string? message = null, type = null, code = null;
        do
        {
            string name = await reader.ReadPropertyNameAsync().ConfigureAwait(false);
            string? value = null;
            int first = await reader.PeekAsync().ConfigureAwait(false);
            if (first == '"')
            {
                var text = new TextSink(MaxTextBytes);
                await reader.ReadStringAsync(text).ConfigureAwait(false);
                value = text.ToString() is { Length: > 0 } nonEmpty ? nonEmpty : null;
            }
            else if (name == "code" && first is not ('{' or '['))
            {
                // A numeric code is kept as its text; null, true and false are no code.
                value = await reader.ReadScalarAsync().ConfigureAwait(false) is { } scalar && IsNumber(scalar) ? scalar : null;
            }
            else
            {
                await reader.SkipValueAsync().ConfigureAwait(false);
            }
            switch (name)
            {
                case "message": message = value; break;
                case "type": type = value; break;
                case "code": code = value; break;
            }
        }
        while (await reader.NextItemAsync('}').ConfigureAwait(false));
        if (message is not null || type is not null || code is not null)
        {
            response.ErrorMessage = message ?? "(no message)";
            response.ErrorType = type;
            response.ErrorCode = code;
        }
    }

    private static bool IsNumber(string scalar) =>
        double.TryParse(scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && !double.IsNaN(value) && !double.IsInfinity(value);

    /// <summary>A string field whose content may become an image file.</summary>
    internal abstract class ImageFieldSink : ByteSink, IDisposable
    {
        private readonly SaveSession _session;
        private PendingFile? _file;
        private Base64DecodingSink? _decoder;

        protected ImageFieldSink(SaveSession session) => _session = session;

        protected Base64DecodingSink Decoder
        {
            get
            {
                if (_decoder is null)
                {
                    _file = _session.CreatePending();
                    _decoder = new Base64DecodingSink(_file.Stream);
                }
                return _decoder;
            }
        }

        /// <summary>Closes the file, if one was written, and returns it; null when the field held no image bytes.</summary>
        public PendingFile? Finish()
        {
            if (_file is null || _decoder is null)
            {
                return null;
            }
            if (_decoder.BytesWritten == 0)
            {
                // The empty file stays in the session, which deletes it.
                return null;
            }
            SaveSession.Finish(_file, _decoder.Header);
            return _file;
        }

        public void Dispose() => _decoder?.Dispose();
    }

    internal sealed class Base64FieldSink : ImageFieldSink
    {
        public Base64FieldSink(SaveSession session) : base(session)
        {
        }

        private bool _anyBytes;

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            if (!bytes.IsEmpty)
            {
                _anyBytes = true;
                Decoder.Write(bytes);
            }
        }

        public override void Complete()
        {
            if (_anyBytes)
            {
                Decoder.Complete();
            }
        }
    }

    /// <summary>
    /// The url field holds an http(s) URL, a data: URL, or (behind some proxies) bare base64. The first bytes
    /// decide which; only a real URL is kept as text.
    /// </summary>
    private sealed class UrlFieldSink : ImageFieldSink
    {
        private enum Mode { Undecided, Url, DataUrlHeader, Base64 }

        private const int DecideAfter = 8; // "https://".Length
        private Mode _mode;
        private readonly List<byte> _prefix = new();
        private TextSink? _url;

        public UrlFieldSink(SaveSession session) : base(session)
        {
        }

        public string? Url => _url?.ToString().Trim() is { Length: > 0 } url ? url : null;

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                switch (_mode)
                {
                    case Mode.Undecided:
                        int take = Math.Min(DecideAfter - _prefix.Count, bytes.Length);
                        for (int i = 0; i < take; i++)
                        {
                            _prefix.Add(bytes[i]);
                        }
                        bytes = bytes.Slice(take);
                        if (_prefix.Count == DecideAfter)
                        {
                            Decide();
                        }
                        break;
                    case Mode.Url:
                        _url!.Write(bytes);
                        if (_url.Truncated)
                        {
                            throw new InvalidDataException($"The url field is longer than {MaxUrlBytes} bytes and is not image data.");
                        }
                        return;
                    case Mode.DataUrlHeader:
                        int comma = bytes.IndexOf((byte)',');
                        var headerPart = comma < 0 ? bytes : bytes.Slice(0, comma);
                        foreach (byte b in headerPart)
                        {
                            _prefix.Add(b);
                        }
                        if (_prefix.Count > 512)
                        {
                            throw new InvalidDataException("The data URL in the url field has no comma after its header.");
                        }
                        if (comma < 0)
                        {
                            return;
                        }
                        string header = Encoding.ASCII.GetString(_prefix.ToArray());
                        if (header.IndexOf(";base64", StringComparison.OrdinalIgnoreCase) < 0)
                        {
                            throw new InvalidDataException($"The data URL in the url field is not base64 ('{header}').");
                        }
                        _mode = Mode.Base64;
                        bytes = bytes.Slice(comma + 1);
                        break;
                    case Mode.Base64:
                        Decoder.Write(bytes);
                        return;
                }
            }
        }

        private void Decide()
        {
            string start = Encoding.ASCII.GetString(_prefix.ToArray());
            if (start.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || start.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                _mode = Mode.Url;
                _url = new TextSink(MaxUrlBytes);
                _url.Write(_prefix.ToArray());
            }
            else if (start.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                _mode = Mode.DataUrlHeader;
                var rest = _prefix.GetRange(5, _prefix.Count - 5).ToArray();
                _prefix.Clear();
                Write(rest);
            }
            else
            {
                _mode = Mode.Base64;
                Decoder.Write(_prefix.ToArray());
            }
        }

        public override void Complete()
        {
            if (_mode == Mode.Undecided && _prefix.Count > 0)
            {
                if (_prefix.Count < 5 && Encoding.ASCII.GetString(_prefix.ToArray()).Trim().Length == 0)
                {
                    return;
                }
                Decide();
            }
            if (_mode == Mode.DataUrlHeader)
            {
                throw new InvalidDataException("The data URL in the url field has no data.");
            }
            if (_mode == Mode.Base64)
            {
                Decoder.Complete();
            }
        }
    }
}
