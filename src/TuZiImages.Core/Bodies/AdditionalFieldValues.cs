using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TuZiImages.Core.Bodies;

/// <summary>
/// Fields of the body that no parameter names (-AdditionalParameter): checked before anything is sent, then
/// written with their own types, as JSON for generations and as text parts for edits.
/// </summary>
/// <remarks>
/// The values are plain .NET ones (the cmdlets unwrap PowerShell's objects first): text, numbers, booleans,
/// null, lists and dictionaries with text keys. Dates go out as ISO 8601 text, enums and GUIDs as their names.
/// </remarks>
internal static class AdditionalFieldValues
{
    private const int MaxDepth = 32;

    /// <summary>Refuses a name that a parameter sets too, and a value that has no JSON form.</summary>
    internal static void Validate(IDictionary<string, object?> fields, IEnumerable<(string Field, string Parameter)> named, string target)
    {
        if (fields.Count == 0)
        {
            return;
        }
        var byField = named.GroupBy(n => n.Field, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Parameter, StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            if (string.IsNullOrWhiteSpace(field.Key))
            {
                throw TuZiImagesException.InvalidInput("-AdditionalParameter has an empty key.", target, "Give every field a name.");
            }
            // Case-insensitive: the service would take "Quality" as another field, which is never what was meant.
            if (byField.TryGetValue(field.Key, out string? parameter))
            {
                throw TuZiImagesException.InvalidInput(
                    $"The field '{field.Key}' is given both by -AdditionalParameter and by {parameter}.", target,
                    $"Give it once: use {parameter}, or leave {parameter} out.");
            }
            CheckValue(field.Key, field.Value, 0, target);
        }
    }

    private static void CheckValue(string name, object? value, int depth, string target)
    {
        if (depth > MaxDepth)
        {
            throw TuZiImagesException.InvalidInput($"The field '{name}' nests more than {MaxDepth} levels deep.", target);
        }
        switch (value)
        {
            case null or string or bool or char or Guid or Uri or Enum or DateTime or DateTimeOffset or TimeSpan:
                return;
            case sbyte or byte or short or ushort or int or uint or long or ulong or decimal:
                return;
            case float f when !float.IsNaN(f) && !float.IsInfinity(f):
                return;
            case double d when !double.IsNaN(d) && !double.IsInfinity(d):
                return;
            case float or double:
                throw TuZiImagesException.InvalidInput($"The field '{name}' is {value}, which JSON cannot carry.", target, "Give a finite number.");
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is not string key)
                    {
                        throw TuZiImagesException.InvalidInput($"The field '{name}' has a key that is not text ({entry.Key}).", target);
                    }
                    CheckValue(name + "." + key, entry.Value, depth + 1, target);
                }
                return;
            case IEnumerable list:
                foreach (object? item in list)
                {
                    CheckValue(name + "[]", item, depth + 1, target);
                }
                return;
            default:
                throw TuZiImagesException.InvalidInput(
                    $"The field '{name}' is a {value.GetType().FullName}, which has no JSON form.", target,
                    "Give text, a number, a boolean, an array or a hashtable.");
        }
    }

    /// <summary>Writes one value with its own JSON type: numbers stay numbers, dictionaries become objects.</summary>
    internal static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case sbyte or short or int or long: writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case byte or ushort or uint or ulong: writer.WriteNumberValue(Convert.ToUInt64(value, CultureInfo.InvariantCulture)); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case float f: writer.WriteNumberValue(f); break;
            case double d: writer.WriteNumberValue(d); break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName((string)entry.Key);
                    WriteJson(writer, entry.Value);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable list and not string:
                writer.WriteStartArray();
                foreach (object? item in list)
                {
                    WriteJson(writer, item);
                }
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Text(value)); break;
        }
    }

    /// <summary>
    /// The text parts of one field in a multipart body: a list becomes the field repeated, a dictionary its JSON
    /// text, null no part at all.
    /// </summary>
    internal static IEnumerable<string> FormValues(object? value)
    {
        switch (value)
        {
            case null:
                yield break;
            case string s:
                yield return s;
                break;
            case IDictionary:
                yield return ToJson(value);
                break;
            case IEnumerable list:
                foreach (object? item in list)
                {
                    if (item is null)
                    {
                        continue;
                    }
                    yield return item is IEnumerable and not string ? ToJson(item) : Text(item);
                }
                break;
            default:
                yield return Text(value);
                break;
        }
    }

    internal static string ToJson(object? value)
    {
        using var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(writer, value);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A scalar as the service reads it: invariant numbers, lower-case booleans, ISO 8601 dates.</summary>
    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        DateTime dt => dt.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("o", CultureInfo.InvariantCulture),
        TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
