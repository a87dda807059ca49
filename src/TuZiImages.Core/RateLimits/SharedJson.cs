using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace TuZiImages.Core.RateLimits;

/// <summary>Times as the shared view writes them: ticks of the machine's monotonic clock, null as absent.</summary>
internal static class SharedJson
{
    public static void WriteTime(Utf8JsonWriter json, string name, TimeSpan? time)
    {
        if (time is { } value)
        {
            json.WriteNumber(name, value.Ticks);
        }
    }

    public static TimeSpan? ReadTime(JsonElement state, string name) =>
        state.TryGetProperty(name, out var value) ? TimeSpan.FromTicks(value.GetInt64()) : null;

    public static void WriteTimes(Utf8JsonWriter json, string name, IEnumerable<TimeSpan> times)
    {
        json.WriteStartArray(name);
        foreach (var time in times)
        {
            json.WriteNumberValue(time.Ticks);
        }
        json.WriteEndArray();
    }

    public static IEnumerable<TimeSpan> ReadTimes(JsonElement state, string name) =>
        state.GetProperty(name).EnumerateArray().Select(t => TimeSpan.FromTicks(t.GetInt64())).ToList();
}
