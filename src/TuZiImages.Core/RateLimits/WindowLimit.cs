using System;
using System.Globalization;

namespace TuZiImages.Core.RateLimits;

/// <summary>How many requests a service admits per window: at most <see cref="Requests"/> started in any span of the window's length.</summary>
/// <param name="Longer">The window is longer than this (a refusal came this long after the oldest start it counted).</param>
/// <param name="AtMost">The window is at most this long (an admission came this long after it); null until one has.</param>
/// <param name="Named">The service's message named the window, so nothing was guessed.</param>
internal sealed record WindowLimit(int Requests, TimeSpan Longer, TimeSpan? AtMost, bool Named = false)
{
    public override string ToString() => Named || AtMost == Longer
        ? $"{Requests} per {Seconds(AtMost ?? Longer)}"
        : $"{Requests} per window of more than {Seconds(Longer)}" + (AtMost is { } most ? $" and at most {Seconds(most)}" : "");

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture) + " s";
}
