using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Families;

/// <summary>
/// A request as the test server recorded it, written in the form -WhatIf is documented to use (about_TuZiImages,
/// "Seeing what happens"): "POST {path} (JSON|multipart): name value, ...", text that is not a plain word in single
/// quotes, in JSON also text that would read as a number or literal, other JSON values as their JSON, files as
/// "@name (N bytes)", and the JSON image array in brackets. Written from the recording, not from the module.
/// </summary>
internal static class WireText
{
    private static readonly Regex BareWord = new(@"^[A-Za-z0-9._:/+?&=%#~-]+$", RegexOptions.CultureInvariant);

    /// <param name="files">The local files the test sent, by the SHA-256 of their bytes, to name a JSON body's data URLs.</param>
    public static string Of(RecordedRequest record, IReadOnlyDictionary<string, string> files)
    {
        var parts = new List<string>();
        bool json = record.Json is not null;
        if (json)
        {
            using var body = JsonDocument.Parse(record.Json!);
            foreach (var property in body.RootElement.EnumerateObject())
            {
                parts.Add(property.Name == "image" && property.Value.ValueKind == JsonValueKind.Array
                    ? $"image [{string.Join(", ", property.Value.EnumerateArray().Select(e => Element(e.GetString()!, files)))}]"
                    : $"{property.Name} {(property.Value.ValueKind == JsonValueKind.String ? Quote(property.Value.GetString()!, json: true) : property.Value.GetRawText())}");
            }
        }
        else
        {
            parts.AddRange(record.Fields.Select(f => $"{f.Name} {Quote(f.Value, json: false)}"));
            parts.AddRange(record.Files.Select(f => $"{f.FieldName} @{Quote(f.FileName!, json: false)} ({f.Length.ToString(CultureInfo.InvariantCulture)} bytes)"));
        }
        return $"POST {record.Path} ({(json ? "JSON" : "multipart")}): {string.Join(", ", parts)}";
    }

    /// <summary>The target of each "What if:" line in a host's text, in order.</summary>
    public static IReadOnlyList<string> WhatIfTargets(string hostText) =>
        Regex.Matches(hostText, "^What if: Performing the operation \"[^\"]*\" on target \"(.*)\"\\.\\s*$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();

    private static string Element(string element, IReadOnlyDictionary<string, string> files)
    {
        if (!element.StartsWith("data:", StringComparison.Ordinal))
        {
            return Quote(element, json: true);
        }
        byte[] bytes = Convert.FromBase64String(element[(element.IndexOf(',') + 1)..]);
        string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return $"@{Quote(files.TryGetValue(sha, out string? name) ? name : "(a file the test did not send)", json: false)} ({bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes)";
    }

    private static string Quote(string text, bool json)
    {
        bool literal = json && (text is "true" or "false" or "null" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return BareWord.IsMatch(text) && !literal ? text : "'" + text.Replace("'", "''") + "'";
    }
}
