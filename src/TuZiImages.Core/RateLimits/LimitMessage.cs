using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TuZiImages.Core.RateLimits;

/// <summary>Which of the service's limits refused a request.</summary>
internal enum LimitKind
{
    /// <summary>The message does not say: the answers' timing must.</summary>
    Unknown,
    /// <summary>Requests at once (new-api: "You have reached the concurrent request limit: at most N in-flight requests").</summary>
    InFlight,
    /// <summary>Requests started per window (new-api: "您已达到请求数限制：N分钟内最多请求M次").</summary>
    Window,
}

/// <summary>
/// What a 429's message says of the limit that refused it: its kind, and its size when named. new-api, the relay most
/// gateways run, names both (its window in whole minutes only); any other message says nothing, and the limit is
/// learned from the answers' timing alone.
/// </summary>
internal sealed record LimitMessage(LimitKind Kind, int? InFlight = null, WindowLimit? Window = null)
{
    private static readonly Regex NamedWindow = new(@"(\d+)\s*分钟内最多请求\s*(\d+)\s*次", RegexOptions.CultureInvariant);
    private static readonly Regex NamedInFlight = new(@"at most (\d+) in-flight requests", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static LimitMessage Read(string? message)
    {
        string text = message ?? "";
        if (NamedWindow.Match(text) is { Success: true } window)
        {
            var length = TimeSpan.FromMinutes(int.Parse(window.Groups[1].Value, CultureInfo.InvariantCulture));
            return new LimitMessage(LimitKind.Window, Window: new WindowLimit(int.Parse(window.Groups[2].Value, CultureInfo.InvariantCulture), length, length, Named: true));
        }
        if (text.IndexOf("请求数限制", StringComparison.Ordinal) >= 0)
        {
            return new LimitMessage(LimitKind.Window);
        }
        if (NamedInFlight.Match(text) is { Success: true } inFlight)
        {
            return new LimitMessage(LimitKind.InFlight, int.Parse(inFlight.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        return text.IndexOf("concurrent request limit", StringComparison.OrdinalIgnoreCase) >= 0 ? new LimitMessage(LimitKind.InFlight) : new LimitMessage(LimitKind.Unknown);
    }
}
