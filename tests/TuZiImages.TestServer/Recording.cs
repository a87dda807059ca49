using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Http;

namespace TuZiImages.TestServer;

/// <summary>
/// One request to <c>/v1/images/*</c>, as the server saw it. Plain settable properties so that xunit assertions and
/// the JSON of <c>GET /_control/requests</c> see the same thing.
/// </summary>
public sealed class RecordedRequest
{
    public string Id { get; set; } = "";

    public string Path { get; set; } = "";

    public string Method { get; set; } = "";

    /// <summary>The request's Content-Type header.</summary>
    public string? ContentType { get; set; }

    /// <summary>Every request header; multiple values joined with ", ". Keys are case-insensitive.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The raw JSON body of a generation; null for edits.</summary>
    public string? Json { get; set; }

    /// <summary>
    /// Text fields in order. Generations: each top-level property, strings as their value, anything else as raw JSON.
    /// Edits: each text part, repeated names kept.
    /// </summary>
    public List<RecordedField> Fields { get; set; } = [];

    /// <summary>Uploaded file parts (edits) and decoded base64 / data-URL <c>image</c> elements (generations).</summary>
    public List<RecordedFile> Files { get; set; } = [];

    /// <summary>The http(s) URL elements of a generation's <c>image</c> array.</summary>
    public List<string> ImageUrls { get; set; } = [];

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>
    /// The status code answered ("200", "429", ...), or "reset" (connection aborted by a fault), "truncated"
    /// (200 cut short by a fault), "aborted" (the client went away first), "pending" (not answered yet).
    /// Set before the response is written, so it is final by the time a client has read the status.
    /// </summary>
    public string Outcome { get; set; } = "pending";

    /// <summary>The request body came with Transfer-Encoding: chunked.</summary>
    public bool ChunkedTransfer { get; set; }

    public long? ContentLength { get; set; }

    /// <summary>The X-Request-Id the response carried; null when a fault suppressed it.</summary>
    public string? ResponseRequestId { get; set; }

    /// <summary>Refused with 429 by the rate-limit mode (the server did no work for it).</summary>
    public bool RateLimited { get; set; }

    /// <summary>The fault that shaped the answer, if any.</summary>
    public FaultSpec? Fault { get; set; }

    /// <summary>SHA-256 (lowercase hex) of each image the answer carried or linked to, in order; empty when it had none.</summary>
    public List<string> ImageSha256 { get; set; } = [];

    /// <summary>The first text field of that name, or null.</summary>
    public string? Field(string name) => Fields.FirstOrDefault(f => f.Name == name)?.Value;

    public IReadOnlyList<string> FieldValues(string name) => Fields.Where(f => f.Name == name).Select(f => f.Value).ToList();

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

public sealed class RecordedField
{
    public RecordedField()
    {
    }

    public RecordedField(string name, string value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; set; } = "";

    public string Value { get; set; } = "";

    public override string ToString() => $"{Name}={Value}";
}

public sealed class RecordedFile
{
    /// <summary>"image", "image[]" or "mask" as the client named the part.</summary>
    public string FieldName { get; set; } = "";

    /// <summary>The part's filename; null for generation <c>image</c> elements.</summary>
    public string? FileName { get; set; }

    /// <summary>The part's Content-Type for edits; for generation elements, the sniffed type.</summary>
    public string? ContentType { get; set; }

    /// <summary>What the first bytes say the file is ("image/png", ..., or "application/octet-stream").</summary>
    public string SniffedContentType { get; set; } = "";

    public long Length { get; set; }

    /// <summary>SHA-256 of the bytes, lowercase hex.</summary>
    public string Sha256 { get; set; } = "";
}

/// <summary>One request to the result origin.</summary>
public sealed class RecordedDownload
{
    public string Path { get; set; } = "";

    public string Method { get; set; } = "";

    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset ReceivedAt { get; set; }

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>An append-only list that hands out snapshots, written by request threads and read by tests.</summary>
internal sealed class RecordLog<T>
{
    private readonly List<T> _items = [];
    private readonly object _gate = new();

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return _items.ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }
}

internal static class HeaderRecorder
{
    public static Dictionary<string, string> Capture(IHeaderDictionary headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in headers)
        {
            result[header.Key] = string.Join(", ", (IEnumerable<string?>)header.Value);
        }

        return result;
    }
}
