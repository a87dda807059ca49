using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Responses;

/// <summary>The small JSON answers (the model list, the billing endpoints, the price list): read whole, with a bound.</summary>
internal static class JsonAnswer
{
    private const int MaxBytes = 32 * 1024 * 1024;

    /// <param name="what">What the answer is, for the error when it is too large or not JSON ("the model list").</param>
    public static async Task<JsonDocument> ReadAsync(Stream body, string what, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new InvalidDataException($"{Capitalized(what)} is larger than {MaxBytes / 1048576} MB.");
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Capitalized(what)} is not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>A member that is a number, or a number's text (some gateways quote them); null otherwise.</summary>
    public static decimal? Decimal(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out decimal number) => number,
            JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>A member that is a string; null otherwise.</summary>
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Capitalized(string what) => what.Length == 0 ? what : char.ToUpperInvariant(what[0]) + what.Substring(1);
}
