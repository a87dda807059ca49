using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace TuZiImages.Tests.Core.Fuzzing;

internal sealed class ExpectedItem
{
    public string? Url { get; set; }
    public byte[]? Bytes { get; set; }
    public string? RevisedPrompt { get; set; }
}

internal sealed class ExpectedAnswer
{
    public List<ExpectedItem> Items { get; } = new();
    public bool HasData { get; set; }
    public DateTimeOffset? Created { get; set; }
    public string? ErrorMessage { get; set; }
    public string? ErrorType { get; set; }
    public string? ErrorCode { get; set; }

    /// <summary>Set when the reader must refuse the answer as malformed, and why.</summary>
    public string? FailsBecause { get; set; }
}

/// <summary>The answer must be refused as malformed: its image data cannot be decoded.</summary>
internal sealed class MustFail(string why) : Exception(why);

/// <summary>
/// What the reader must make of an answer, worked out independently: the text parsed by System.Text.Json's
/// JsonDocument, every base64 value decoded by Convert.FromBase64String, and the reader's documented rules
/// applied on top. Null when JsonDocument does not accept the text (then nothing is expected but a clean end);
/// <see cref="ExpectedAnswer.FailsBecause"/> when the answer is JSON but its image data cannot be decoded.
/// </summary>
internal static class ReaderOracle
{
    private const int MaxTextBytes = 16 * 1024;
    private const int MaxUrlBytes = 64 * 1024;

    public static ExpectedAnswer? Expect(byte[] json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            try
            {
                return Answer(document.RootElement);
            }
            catch (MustFail e)
            {
                return new ExpectedAnswer { FailsBecause = e.Message };
            }
            catch (InvalidOperationException)
            {
                // A string with a lone surrogate escape: valid JSON that has no .NET string. Nothing to compare.
                return null;
            }
        }
    }

    private static ExpectedAnswer Answer(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MustFail("the answer is not an object");
        }
        var answer = new ExpectedAnswer();
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "created":
                    answer.Created = Created(member.Value);
                    break;
                case "data" when member.Value.ValueKind == JsonValueKind.Array:
                    answer.HasData = true;
                    answer.Items.AddRange(member.Value.EnumerateArray().Select(Item));
                    break;
                case "error":
                    Error(member.Value, answer);
                    break;
            }
        }
        return answer;
    }

    /// <summary>The first field that yields image bytes wins; an http URL is kept until then; revised_prompt: the last.</summary>
    private static ExpectedItem Item(JsonElement element)
    {
        var item = new ExpectedItem();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return item;
        }
        foreach (var member in element.EnumerateObject())
        {
            bool isString = member.Value.ValueKind == JsonValueKind.String;
            switch (member.Name)
            {
                case "b64_json" when isString && item.Bytes is null:
                    item.Bytes = NonEmpty(Base64(member.Value.GetString()!));
                    break;
                case "url" when isString && item.Bytes is null:
                    string text = member.Value.GetString()!;
                    string? url = null;
                    if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                    {
                        if (Encoding.UTF8.GetByteCount(text) > MaxUrlBytes)
                        {
                            throw new MustFail("a url longer than 64 KB");
                        }
                        url = text.Trim() is { Length: > 0 } trimmed ? trimmed : null;
                    }
                    else if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                    {
                        int comma = text.IndexOf(',');
                        string header = comma < 0 ? text.Substring(5) : text.Substring(5, comma - 5);
                        if (Encoding.UTF8.GetByteCount(header) > 512 || comma < 0)
                        {
                            throw new MustFail("a data URL without a comma after a short header");
                        }
                        if (header.IndexOf(";base64", StringComparison.OrdinalIgnoreCase) < 0)
                        {
                            throw new MustFail("a data URL that is not base64");
                        }
                        item.Bytes = NonEmpty(Base64(text.Substring(comma + 1)));
                    }
                    else if (!IsBlankStub(text))
                    {
                        item.Bytes = NonEmpty(Base64(text));
                    }
                    item.Url = item.Bytes is null ? url : null;
                    break;
                case "revised_prompt" when isString:
                    item.RevisedPrompt = Cut(member.Value.GetString()!, MaxTextBytes);
                    break;
            }
        }
        return item;
    }

    /// <summary>Under five bytes of blanks in url is no image and no error (as an empty string is).</summary>
    private static bool IsBlankStub(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length == 0 || (bytes.Length < 5 && Encoding.ASCII.GetString(bytes).Trim().Length == 0);
    }

    private static byte[]? NonEmpty(byte[] bytes) => bytes.Length == 0 ? null : bytes;

    /// <summary>
    /// JSON whitespace is dropped, URL-safe letters are read as their standard pair, padding may be missing
    /// or short, and only padding may follow padding; the rest is Convert.FromBase64String's to decide.
    /// </summary>
    public static byte[] Base64(string text)
    {
        var letters = new StringBuilder(text.Length);
        bool padding = false;
        foreach (char c in text)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                continue;
            }
            if (c == '=')
            {
                padding = true;
                continue;
            }
            if (padding)
            {
                throw new MustFail("base64 continues after its padding");
            }
            letters.Append(c switch { '-' => '+', '_' => '/', _ => c });
        }
        if (letters.Length % 4 == 1)
        {
            throw new MustFail("base64 with a stray letter at the end");
        }
        while (letters.Length % 4 != 0)
        {
            letters.Append('=');
        }
        try
        {
            return Convert.FromBase64String(letters.ToString());
        }
        catch (FormatException e)
        {
            throw new MustFail("not base64: " + e.Message);
        }
    }

    /// <summary>Seconds, or milliseconds (and finer) when too large for seconds; nothing when it makes no sense.</summary>
    public static DateTimeOffset? Created(JsonElement value)
    {
        string? text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => Encoding.UTF8.GetByteCount(value.GetString()!) > 64 ? null : value.GetString()!.Trim(),
            _ => null,
        };
        if (text is null || text.Length > 64 || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            || double.IsNaN(number) || double.IsInfinity(number) || number <= 0)
        {
            return null;
        }
        for (int unit = 0; unit < 4; unit++, number /= 1000)
        {
            if (number < 1e11)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(number * 1000));
            }
        }
        return null;
    }

    /// <summary>Only an error that says something is one; null, false, "", [] and empty objects are not.</summary>
    private static void Error(JsonElement value, ExpectedAnswer answer)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                if (Cut(value.GetString()!, MaxTextBytes) is { Length: > 0 } message)
                {
                    answer.ErrorMessage = message;
                }
                return;
            case JsonValueKind.Array:
                if (value.GetArrayLength() > 0)
                {
                    answer.ErrorMessage ??= "(no message)";
                }
                return;
            case JsonValueKind.Null or JsonValueKind.False:
                return;
            case JsonValueKind.Object:
                break;
            default:
                answer.ErrorMessage ??= "(no message)";
                return;
        }
        string? said = null, type = null, code = null;
        foreach (var member in value.EnumerateObject())
        {
            string? text = null;
            if (member.Value.ValueKind == JsonValueKind.String)
            {
                text = Cut(member.Value.GetString()!, MaxTextBytes) is { Length: > 0 } nonEmpty ? nonEmpty : null;
            }
            else if (member.Name == "code" && member.Value.ValueKind == JsonValueKind.Number)
            {
                string raw = member.Value.GetRawText();
                text = raw.Length <= 64 && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                    && !double.IsInfinity(number) ? raw : null;
            }
            switch (member.Name)
            {
                case "message": said = text; break;
                case "type": type = text; break;
                case "code": code = text; break;
            }
        }
        if (said is not null || type is not null || code is not null)
        {
            answer.ErrorMessage = said ?? "(no message)";
            answer.ErrorType = type;
            answer.ErrorCode = code;
        }
    }

    /// <summary>What the reader keeps of a long text: its first bytes, decoded as UTF-8.</summary>
    private static string Cut(string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length <= maxBytes ? text : Encoding.UTF8.GetString(bytes, 0, maxBytes);
    }
}
