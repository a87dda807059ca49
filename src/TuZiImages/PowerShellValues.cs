using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using TuZiImages.Core;

namespace TuZiImages;

/// <summary>
/// Turns what PowerShell binds (hashtables whose values may be PSObject-wrapped, object[] arrays,
/// [pscustomobject]s) into the plain .NET values the core takes, so the core never sees a PowerShell type.
/// </summary>
internal static class PowerShellValues
{
    private const int MaxDepth = 32;

    /// <summary>-AdditionalParameter: each key a body field, each value unwrapped with its type kept.</summary>
    public static IDictionary<string, object?>? ToFields(IDictionary? table)
    {
        if (table is null)
        {
            return null;
        }
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            string key = KeyText(entry.Key);
            fields[key] = ToPlain(entry.Value, 0, key);
        }
        return fields;
    }

    /// <summary>-Header: names and values as text; an array value becomes the values joined by commas, as HTTP lists are.</summary>
    public static IDictionary<string, string> ToHeaders(IDictionary? table)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (table is null)
        {
            return headers;
        }
        foreach (DictionaryEntry entry in table)
        {
            object? value = Unwrap(entry.Value);
            headers[KeyText(entry.Key)] = value switch
            {
                null => "",
                string s => s,
                IEnumerable list => string.Join(", ", Items(list)),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
        }
        return headers;

        static IEnumerable<string> Items(IEnumerable list)
        {
            foreach (object? item in list)
            {
                yield return Convert.ToString(Unwrap(item), CultureInfo.InvariantCulture) ?? "";
            }
        }
    }

    internal static object? ToPlain(object? value, int depth, string name)
    {
        if (depth > MaxDepth)
        {
            throw TuZiImagesException.InvalidInput($"The field '{name}' of -AdditionalParameter nests more than {MaxDepth} levels deep.", name);
        }
        if (value is PSObject { BaseObject: PSCustomObject } custom)
        {
            // [pscustomobject]@{...}: its note properties are its fields, in order.
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in custom.Properties)
            {
                fields[property.Name] = ToPlain(property.Value, depth + 1, name + "." + property.Name);
            }
            return fields;
        }
        value = Unwrap(value);
        switch (value)
        {
            case null:
                return null;
            case string or bool or char:
                return value;
            case SwitchParameter switchParameter:
                return switchParameter.IsPresent;
            case IDictionary dictionary:
                var nested = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    string key = KeyText(entry.Key);
                    nested[key] = ToPlain(entry.Value, depth + 1, name + "." + key);
                }
                return nested;
            case IEnumerable list:
                var items = new List<object?>();
                foreach (object? item in list)
                {
                    items.Add(ToPlain(item, depth + 1, name + "[]"));
                }
                return items;
            default:
                return value;
        }
    }

    private static object? Unwrap(object? value) =>
        value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;

    private static string KeyText(object key) => Convert.ToString(Unwrap(key), CultureInfo.InvariantCulture) ?? "";
}
