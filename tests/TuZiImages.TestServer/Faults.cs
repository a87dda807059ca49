using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer;

/// <summary>
/// A misbehaviour for the next matching images request(s). Every property is optional; they combine where that
/// makes sense (e.g. <see cref="DelayMs"/> with <see cref="Status"/>, or <see cref="Format"/> with
/// <see cref="UrlAs"/>). Serialized camelCase for <c>POST /_control/faults</c>.
/// </summary>
public sealed class FaultSpec
{
    /// <summary>Apply only to requests whose prompt contains this (ordinal) substring; null matches any request.</summary>
    public string? Match { get; set; }

    /// <summary>How many requests this applies to before it is used up; 0 or less means forever.</summary>
    public int Times { get; set; } = 1;

    /// <summary>Answer this status. Non-2xx answers an OpenAI-shaped error (or <see cref="Html"/> / <see cref="Body"/>).</summary>
    public int? Status { get; set; }

    /// <summary>Sent verbatim as Retry-After ("1", or an HTTP date).</summary>
    public string? RetryAfter { get; set; }

    /// <summary>The error message; a default naming the status otherwise.</summary>
    public string? Message { get; set; }

    /// <summary>Answer a gateway's HTML error page (status 502 unless <see cref="Status"/> says otherwise).</summary>
    public bool Html { get; set; }

    /// <summary>Answer exactly this body (status 200 unless <see cref="Status"/> says otherwise).</summary>
    public string? Body { get; set; }

    /// <summary>The Content-Type of <see cref="Body"/>; application/json by default.</summary>
    public string? ContentType { get; set; }

    /// <summary>Send this Location header (status 302 unless <see cref="Status"/> says otherwise).</summary>
    public string? Location { get; set; }

    /// <summary>Abort the connection after reading the request, without any response.</summary>
    public bool Reset { get; set; }

    /// <summary>
    /// Act before the request's body is read, as a gateway that gives up early does: <see cref="Reset"/>,
    /// <see cref="Hold"/> and answers (<see cref="Status"/>, <see cref="Html"/>) meet a client still sending a body larger
    /// than the connection's buffers, so it fails before its request went out whole. Cannot <see cref="Match"/> a
    /// prompt, which is in the body; images endpoints only.
    /// </summary>
    public bool BeforeBody { get; set; }

    /// <summary>Send a 200 whose Content-Length promises more than is written, then abort mid-body.</summary>
    public bool Truncate { get; set; }

    /// <summary>Wait this long before answering (on top of the server's latency); ends early if the client aborts.</summary>
    public int DelayMs { get; set; }

    /// <summary>
    /// Before answering (after any delay), wait until the test releases the hold of this name
    /// (<see cref="ServerHolds"/>, or <c>POST /_control/holds/{name}/release</c>); ends early if the client aborts.
    /// The request stays unanswered for as long as the test needs, however slow the machine.
    /// </summary>
    public string? Hold { get; set; }

    /// <summary>
    /// In the middle of a success body, wait until the test releases the hold of this name: after the first 64 KB
    /// of the first image (give a <see cref="PayloadBytes"/> larger than that), or after the first preview of a
    /// stream. A client that has reached it is surely inside its streaming read, which a test can stop it in.
    /// </summary>
    public string? HoldMidBody { get; set; }

    /// <summary>200 with <c>"data": []</c>.</summary>
    public bool EmptyData { get; set; }

    /// <summary>200 with items <c>{"url": ""}</c>.</summary>
    public bool EmptyUrl { get; set; }

    /// <summary>Add <c>revised_prompt</c> with this text to each item (e.g. "NO_IMAGE").</summary>
    public string? RevisedPrompt { get; set; }

    /// <summary>Items carry no url / b64_json at all (only <see cref="RevisedPrompt"/>, if set).</summary>
    public bool NoImageData { get; set; }

    /// <summary>What goes in the <c>url</c> field: "url" (default, an http URL on the result origin), "data" (a data: URL) or "base64" (bare base64).</summary>
    public string? UrlAs { get; set; }

    /// <summary>Answer <c>b64_json</c> whatever the request asked for.</summary>
    public bool ForceB64 { get; set; }

    /// <summary>Write every <c>/</c> in JSON strings as <c>\/</c> (legal JSON that PHP-style serializers produce).</summary>
    public bool EscapeSlashes { get; set; }

    /// <summary>"png" (default), "jpeg", "gif" or "webp".</summary>
    public string? Format { get; set; }

    /// <summary>Make each image about this many bytes (PNG: noise rows; JPEG/GIF: comment padding; WebP: ignored).</summary>
    public long PayloadBytes { get; set; }

    /// <summary>Overrides the X-Request-Id header; an empty string sends none.</summary>
    public string? RequestId { get; set; }

    /// <summary>Put the received Authorization header in error messages, as careless servers do.</summary>
    public bool EchoApiKey { get; set; }

    /// <summary>URL results point at <c>/redirect/{id}</c>, which answers 302 to the file.</summary>
    public bool RedirectResult { get; set; }

    /// <summary>Send a success body without Content-Length (chunked), as some proxies do.</summary>
    public bool Chunked { get; set; }

    /// <summary>Break the base64 of image data into lines of this many characters, as MIME encoders do; 0 leaves it whole.</summary>
    public int WrapBase64 { get; set; }

    /// <summary>The JSON text put between the lines of <see cref="WrapBase64"/>: <c>\r\n</c> (the escape) by default, or e.g. " ".</summary>
    public string? WrapBase64With { get; set; }

    /// <summary>Put a character that is not base64 in the middle of the image data: an answer no client can save.</summary>
    public bool BadBase64 { get; set; }

    /// <summary>Send <c>created</c> in Unix milliseconds, as some gateways do, instead of seconds.</summary>
    public bool CreatedInMilliseconds { get; set; }

    /// <summary>Send a success body in eight pieces with this many milliseconds between them, as a slow link does.</summary>
    public int SlowBodyMs { get; set; }

    /// <summary>Answer one plain JSON body even when the request asked for <c>stream: true</c>, as services without streaming do.</summary>
    public bool IgnoreStream { get; set; }

    /// <summary>
    /// Give each image Content Credentials (C2PA), as gpt-image's carry them: a PNG caBX chunk, a JPEG APP11 segment,
    /// a WebP C2PA chunk (dummy JUMBF, see <see cref="Images.ContentCredentials"/>). A client must save such an image
    /// byte for byte. <c>[c2pa]</c> in a prompt does the same.
    /// </summary>
    public bool ContentCredentials { get; set; }

    internal const long MaxPayloadBytes = 256L * 1024 * 1024;

    /// <summary>Whether this fault answers in place of the normal handling (errors, raw bodies, redirects).</summary>
    internal bool ReplacesResponse =>
        Body is not null || Html || Location is not null || (Status is int status && (status < 200 || status > 299));

    internal ImageFormat? ParsedFormat => ImageFormats.TryParse(Format, out ImageFormat format) ? format : null;

    internal void Validate()
    {
        if (Status is int status && (status < 100 || status > 599))
        {
            throw new ArgumentException($"status {status} is not an HTTP status code.");
        }

        if (Format is not null && !ImageFormats.TryParse(Format, out _))
        {
            throw new ArgumentException($"format '{Format}' is not one of png, jpeg, gif, webp.");
        }

        if (UrlAs is not null && UrlAs is not ("url" or "data" or "base64"))
        {
            throw new ArgumentException($"urlAs '{UrlAs}' is not one of url, data, base64.");
        }

        if (PayloadBytes < 0 || PayloadBytes > MaxPayloadBytes)
        {
            throw new ArgumentException($"payloadBytes must be between 0 and {MaxPayloadBytes}.");
        }

        if (DelayMs < 0)
        {
            throw new ArgumentException("delayMs must not be negative.");
        }

        if (SlowBodyMs < 0)
        {
            throw new ArgumentException("slowBodyMs must not be negative.");
        }

        if (WrapBase64 < 0)
        {
            throw new ArgumentException("wrapBase64 must not be negative.");
        }

        if (Hold is "" || HoldMidBody is "")
        {
            throw new ArgumentException("hold and holdMidBody name a hold: they must not be empty.");
        }

        if (BeforeBody && Match is not null)
        {
            throw new ArgumentException("a beforeBody fault acts before the prompt is read, so it cannot match one.");
        }
    }
}

/// <summary>Pending faults, consumed in order by the requests they match.</summary>
internal sealed class FaultQueue
{
    private readonly List<Pending> _pending = [];
    private readonly object _gate = new();

    public void Enqueue(FaultSpec fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        fault.Validate();
        lock (_gate)
        {
            _pending.Add(new Pending(fault, fault.Times));
        }
    }

    /// <summary>The first pending fault that matches this prompt, counting one use of it.</summary>
    /// <param name="namedOnly">Only a fault whose Match names it: the billing reads take no fault meant for an images request.</param>
    public FaultSpec? Take(string? prompt, bool namedOnly = false) => Take(prompt, namedOnly, beforeBody: false);

    /// <summary>The first pending fault that acts before the request's body is read, counting one use of it.</summary>
    public FaultSpec? TakeBeforeBody() => Take(null, namedOnly: false, beforeBody: true);

    private FaultSpec? Take(string? prompt, bool namedOnly, bool beforeBody)
    {
        lock (_gate)
        {
            for (int i = 0; i < _pending.Count; i++)
            {
                Pending pending = _pending[i];
                if (pending.Fault.BeforeBody != beforeBody)
                {
                    continue;
                }

                string? match = pending.Fault.Match;
                if ((match is null && namedOnly) || (match is not null && (prompt is null || !prompt.Contains(match, StringComparison.Ordinal))))
                {
                    continue;
                }

                if (pending.Remaining > 0 && --pending.Remaining == 0)
                {
                    _pending.RemoveAt(i);
                }

                return pending.Fault;
            }
        }

        return null;
    }

    public IReadOnlyList<FaultSpec> Snapshot()
    {
        lock (_gate)
        {
            return _pending.Select(p => p.Fault).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _pending.Clear();
        }
    }

    private sealed class Pending(FaultSpec fault, int remaining)
    {
        public FaultSpec Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}

/// <summary>
/// <c>[fault:429]</c> in a prompt answers that status every time, so a person at a PowerShell prompt can see the
/// module's error handling without touching the control endpoint.
/// </summary>
internal static partial class PromptFaults
{
    public static FaultSpec? Find(string? prompt)
    {
        if (prompt is null)
        {
            return null;
        }

        Match match = Marker().Match(prompt);
        if (!match.Success)
        {
            return null;
        }

        int status = int.Parse(match.Groups["status"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        if (status < 100 || status > 599)
        {
            return null;
        }

        return new FaultSpec
        {
            Status = status,
            Times = 0,
            RetryAfter = status is 429 or 503 ? "1" : null,
            Message = $"Fault requested in the prompt: HTTP {status}.",
        };
    }

    [GeneratedRegex(@"\[fault:(?<status>\d{3})\]", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}
