using System;
using System.Globalization;
using System.Text;

namespace TuZiImages.Tests.Core.Fuzzing;

/// <summary>A JSON value as generated: the renderer decides the whitespace and the escapes, at random but from a seed.</summary>
internal abstract class J
{
    public static readonly J Null = new JLiteral("null");
    public static readonly J True = new JLiteral("true");
    public static readonly J False = new JLiteral("false");

    public static J Str(string value) => new JString(value);
    public static J Num(string raw) => new JLiteral(raw);
    public static J Arr(params J[] items) => new JArray(items);
    public static J Obj(params (string Name, J Value)[] members) => new JObject(members);

    public override string ToString() => JsonRenderer.Render(this, 0, compact: true);
}

internal sealed class JLiteral(string raw) : J
{
    public string Raw { get; } = raw;
}

internal sealed class JString(string value) : J
{
    public string Value { get; } = value;
}

internal sealed class JArray(J[] items) : J
{
    public J[] Items { get; } = items;
}

internal sealed class JObject((string Name, J Value)[] members) : J
{
    public (string Name, J Value)[] Members { get; } = members;
}

/// <summary>
/// Writes a tree as JSON text the way servers do, all of it valid: any whitespace between tokens, any legal
/// escape for any character (short, \u in either case, \/ for a slash), raw UTF-8 otherwise.
/// </summary>
internal static class JsonRenderer
{
    private static readonly string[] Spaces = { " ", "\n", "\t", "\r\n  ", "  " };

    public static string Render(J root, int seed, bool compact = false)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        Write(root, text, compact ? null : random);
        Space(text, compact ? null : random);
        return text.ToString();
    }

    private static void Space(StringBuilder text, Random? random)
    {
        if (random is not null && random.Next(4) == 0)
        {
            text.Append(Spaces[random.Next(Spaces.Length)]);
        }
    }

    private static void Write(J value, StringBuilder text, Random? random)
    {
        Space(text, random);
        switch (value)
        {
            case JLiteral literal:
                text.Append(literal.Raw);
                break;
            case JString str:
                WriteString(str.Value, text, random);
                break;
            case JArray array:
                text.Append('[');
                for (int i = 0; i < array.Items.Length; i++)
                {
                    if (i > 0)
                    {
                        Space(text, random);
                        text.Append(',');
                    }
                    Write(array.Items[i], text, random);
                }
                Space(text, random);
                text.Append(']');
                break;
            case JObject obj:
                text.Append('{');
                for (int i = 0; i < obj.Members.Length; i++)
                {
                    if (i > 0)
                    {
                        Space(text, random);
                        text.Append(',');
                    }
                    Space(text, random);
                    WriteString(obj.Members[i].Name, text, random);
                    Space(text, random);
                    text.Append(':');
                    Write(obj.Members[i].Value, text, random);
                }
                Space(text, random);
                text.Append('}');
                break;
        }
    }

    private static void WriteString(string value, StringBuilder text, Random? random)
    {
        text.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool escapeAnyway = random is not null && random.Next(16) == 0;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                // A pair goes whole: raw, or as two escapes.
                text.Append(escapeAnyway ? $"\\u{(int)c:X4}\\u{(int)value[i + 1]:x4}" : value.Substring(i, 2));
                i++;
                continue;
            }
            switch (c)
            {
                case '"':
                    text.Append(escapeAnyway ? "\\u0022" : "\\\"");
                    break;
                case '\\':
                    text.Append(escapeAnyway ? "\\u005C" : "\\\\");
                    break;
                case '/':
                    text.Append(escapeAnyway ? "\\/" : "/");
                    break;
                case '\n' when !escapeAnyway:
                    text.Append("\\n");
                    break;
                case '\r' when !escapeAnyway:
                    text.Append("\\r");
                    break;
                case '\t' when !escapeAnyway:
                    text.Append("\\t");
                    break;
                case '\b' when !escapeAnyway:
                    text.Append("\\b");
                    break;
                case '\f' when !escapeAnyway:
                    text.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || escapeAnyway)
                    {
                        string hex = ((int)c).ToString(random is not null && random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture);
                        text.Append("\\u").Append(hex);
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        text.Append('"');
    }
}
