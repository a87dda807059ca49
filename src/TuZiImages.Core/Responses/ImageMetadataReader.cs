using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;

namespace TuZiImages.Core.Responses;

/// <summary>Reads the fields of <see cref="ImageMetadata"/>, wherever they sit: the top level of an answer or a streamed event.</summary>
internal static class ImageMetadataReader
{
    private const int MaxWordBytes = 256;

    public static bool Handles(string field) => field is "usage" or "size" or "quality" or "background" or "output_format";

    public static async ValueTask ReadFieldAsync(StreamingJsonReader reader, string field, ImageMetadata metadata)
    {
        if (field == "usage")
        {
            metadata.Usage = await ReadUsageAsync(reader).ConfigureAwait(false);
            return;
        }
        string? word = await ReadWordAsync(reader).ConfigureAwait(false);
        switch (field)
        {
            case "size": metadata.Size = word; break;
            case "quality": metadata.Quality = word; break;
            case "background": metadata.Background = word; break;
            case "output_format": metadata.OutputFormat = word; break;
        }
    }

    /// <summary>A short string value; anything else is skipped and read as null.</summary>
    public static async ValueTask<string?> ReadWordAsync(StreamingJsonReader reader, int maxBytes = MaxWordBytes)
    {
        if (await reader.PeekAsync().ConfigureAwait(false) != '"')
        {
            await reader.SkipValueAsync().ConfigureAwait(false);
            return null;
        }
        var text = new TextSink(maxBytes);
        await reader.ReadStringAsync(text).ConfigureAwait(false);
        return text.ToString();
    }

    /// <summary>{"input_tokens":..,"output_tokens":..,"total_tokens":..,"input_tokens_details":{"text_tokens":..,"image_tokens":..}}</summary>
    private static async ValueTask<TuZiImageUsage?> ReadUsageAsync(StreamingJsonReader reader)
    {
        if (await reader.PeekAsync().ConfigureAwait(false) != '{')
        {
            await reader.SkipValueAsync().ConfigureAwait(false);
            return null;
        }
        var usage = new TuZiImageUsage();
        if (!await reader.BeginContainerAsync('{', '}').ConfigureAwait(false))
        {
            return usage;
        }
        do
        {
            string name = await reader.ReadPropertyNameAsync().ConfigureAwait(false);
            switch (name)
            {
                case "input_tokens": usage.InputTokens = await ReadCountAsync(reader).ConfigureAwait(false); break;
                case "output_tokens": usage.OutputTokens = await ReadCountAsync(reader).ConfigureAwait(false); break;
                case "total_tokens": usage.TotalTokens = await ReadCountAsync(reader).ConfigureAwait(false); break;
                case "input_tokens_details": usage.InputTokensDetails = await ReadDetailsAsync(reader).ConfigureAwait(false); break;
                case "output_tokens_details": usage.OutputTokensDetails = await ReadDetailsAsync(reader).ConfigureAwait(false); break;
                default: await reader.SkipValueAsync().ConfigureAwait(false); break;
            }
        }
        while (await reader.NextItemAsync('}').ConfigureAwait(false));
        return usage;
    }

    /// <summary>A whole number, also when sent as text ("77") or as 77.0; anything else is skipped and read as null.</summary>
    public static async ValueTask<long?> ReadCountAsync(StreamingJsonReader reader)
    {
        int next = await reader.PeekAsync().ConfigureAwait(false);
        string? text;
        if (next == '"')
        {
            text = await ReadWordAsync(reader, 64).ConfigureAwait(false);
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
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && !double.IsNaN(value) && value >= long.MinValue && value <= long.MaxValue ? (long)value : null;
    }

    /// <summary>A time as <see cref="UnixTime"/> reads the answer's created: seconds or a finer unit; no plausible time is none.</summary>
    public static async ValueTask<DateTimeOffset?> ReadTimeAsync(StreamingJsonReader reader) =>
        await ReadCountAsync(reader).ConfigureAwait(false) is { } number ? UnixTime.FromSecondsOrMilliseconds(number) : null;

    private static async ValueTask<IReadOnlyDictionary<string, long>?> ReadDetailsAsync(StreamingJsonReader reader)
    {
        if (await reader.PeekAsync().ConfigureAwait(false) != '{')
        {
            await reader.SkipValueAsync().ConfigureAwait(false);
            return null;
        }
        var details = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (await reader.BeginContainerAsync('{', '}').ConfigureAwait(false))
        {
            do
            {
                string name = await reader.ReadPropertyNameAsync().ConfigureAwait(false);
                if (await ReadCountAsync(reader).ConfigureAwait(false) is { } count)
                {
                    details[name] = count;
                }
            }
            while (await reader.NextItemAsync('}').ConfigureAwait(false));
        }
        return details;
    }
}
