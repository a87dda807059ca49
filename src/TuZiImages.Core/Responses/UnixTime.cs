using System;

namespace TuZiImages.Core.Responses;

/// <summary>Reads the "created" time of an answer, which gateways send in seconds or in milliseconds.</summary>
internal static class UnixTime
{
    /// <summary>No image is made after the year 5138: a larger number of seconds is a finer unit.</summary>
    private const double MaxSeconds = 1e11;

    /// <summary>
    /// Seconds since 1970, or milliseconds (microseconds, nanoseconds) when the number is too large to be
    /// seconds. Null for what makes no sense as the time an image was made: zero, negative, not finite, or
    /// too large in any unit. Never throws.
    /// </summary>
    public static DateTimeOffset? FromSecondsOrMilliseconds(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value <= 0)
        {
            return null;
        }
        double seconds = value;
        for (int finer = 0; finer < 3 && seconds >= MaxSeconds; finer++)
        {
            seconds /= 1000;
        }
        if (seconds >= MaxSeconds)
        {
            return null;
        }
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
    }
}
