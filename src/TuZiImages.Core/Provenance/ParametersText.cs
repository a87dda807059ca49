using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// The PNG text "parameters" in the convention of Stable Diffusion web UIs, which image browsers show: the prompt,
/// a line break, then <c>Key: value, Key: value</c>. Values with a comma, colon or quote are JSON-quoted, as the
/// web UIs do. It is for people and browsers; the XMP beside it is the exact record.
/// </summary>
internal static class ParametersText
{
    /// <summary>The PNG text keyword.</summary>
    public const string Keyword = "parameters";

    // The web UIs' own pattern for one "Key: value" of the last line.
    private static readonly Regex Pair = new(@"\s*(\w[\w \-/]+):\s*(""(?:\\.|[^\\""])+""|[^,]*)(?:,|$)", RegexOptions.CultureInvariant);

    public static string Write(ImageRecord record)
    {
        var pairs = new List<(string Key, string Value)>();
        foreach (var field in record.Fields)
        {
            // Rows by the parameter that sets them (Model, Size, Seed...), other fields by their own name.
            string key = BodyFields.All.FirstOrDefault(r => r.Name == field.Name)?.Parameter ?? field.Name;
            pairs.Add((key, field.Value is string text ? text : AdditionalFieldValues.ToJson(field.Value)));
        }
        pairs.AddRange(record.Given.Where(g => !pairs.Any(p => p.Key == g.Key && p.Value == g.Value)).Select(g => (g.Key, g.Value)));
        Add(pairs, "Revised prompt", record.RevisedPrompt);
        Add(pairs, "Request id", record.RequestId);
        Add(pairs, "Task id", record.TaskId);
        Add(pairs, "Created", record.Created?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        Add(pairs, "Service", record.Service);
        Add(pairs, "Version", record.CreatorTool);
        return record.Prompt + "\n" + string.Join(", ", pairs.Select(p => p.Key + ": " + Quote(p.Value)));
    }

    /// <summary>
    /// Reads a parameters text, this module's or a web UI's: the prompt (without a "Negative prompt:" part) and the
    /// pairs of its last line, when that line has at least three of them, as the web UIs decide.
    /// </summary>
    public static (string Prompt, IReadOnlyList<KeyValuePair<string, string>> Pairs) Read(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        var pairs = new List<KeyValuePair<string, string>>();
        string last = lines[lines.Count - 1];
        var matches = Pair.Matches(last);
        if (lines.Count > 1 && matches.Count >= 3)
        {
            lines.RemoveAt(lines.Count - 1);
            foreach (Match match in matches)
            {
                pairs.Add(new KeyValuePair<string, string>(match.Groups[1].Value.Trim(), Unquote(match.Groups[2].Value.Trim())));
            }
        }
        int negative = lines.FindIndex(l => l.StartsWith("Negative prompt:", StringComparison.Ordinal));
        if (negative >= 0)
        {
            lines.RemoveRange(negative, lines.Count - negative);
        }
        return (string.Join("\n", lines).Trim(), pairs);
    }

    private static void Add(List<(string, string)> pairs, string key, string? value)
    {
        if (value is not null)
        {
            pairs.Add((key, value));
        }
    }

    private static string Quote(string value) =>
        value.IndexOfAny(new[] { ',', ':', '"', '\n', '\r' }) < 0 ? value : AdditionalFieldValues.ToJson(value);

    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"')
        {
            return value;
        }
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.GetString() ?? value;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return value;
        }
    }
}
