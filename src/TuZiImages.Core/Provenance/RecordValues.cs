using System.Collections.Specialized;
using System.Linq;
using System.Text.Json;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// A field's value as text in a record, read back with its type: text as written (unless it would read as JSON,
/// then quoted), every other value as its JSON. So "16x9" stays readable and 42 comes back a number, "42" a text.
/// </summary>
internal static class RecordValues
{
    public static string ToText(object? value) =>
        value is string text && !TryParse(text, out _) ? text : AdditionalFieldValues.ToJson(value);

    public static object? FromText(string text) => TryParse(text, out object? value) ? value : text;

    private static bool TryParse(string text, out object? value)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            value = FromJson(document.RootElement);
            return true;
        }
        catch (JsonException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>Numbers as the smallest of int, long and double that holds them; objects as ordered dictionaries, as PowerShell's [ordered].</summary>
    private static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt32(out int small) ? small : element.TryGetInt64(out long large) ? (object)large : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Object:
                var dictionary = new OrderedDictionary();
                foreach (var property in element.EnumerateObject())
                {
                    dictionary[property.Name] = FromJson(property.Value);
                }
                return dictionary;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(FromJson).ToArray();
            default:
                return null;
        }
    }
}
