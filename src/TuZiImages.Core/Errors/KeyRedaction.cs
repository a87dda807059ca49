using System;
using System.Text;

namespace TuZiImages.Core.Errors;

/// <summary>
/// Takes the API key out of text that came from outside (a server that echoes it, an exception message, a URL).
/// A key long enough to be a real one goes wherever it appears. A short one (a test key such as "test") goes only
/// where it stands alone: replacing "k" inside words turned "Invalid token" into "Invalid to***en" and hid nothing.
/// A key shorter than <see cref="MinimumSecretLength"/> is no secret and the text is left as it is.
/// </summary>
public static class KeyRedaction
{
    public const string Mask = "***";

    /// <summary>Shorter keys protect nothing: every letter or pair of them occurs in ordinary text.</summary>
    public const int MinimumSecretLength = 4;

    /// <summary>From this length a key is removed even inside a longer word (a signed URL, a base64 blob).</summary>
    public const int AlwaysRedactedLength = 20;

    public static string Redact(string text, string? key)
    {
        if (string.IsNullOrEmpty(text) || key is null || key.Length < MinimumSecretLength)
        {
            return text;
        }
        bool anywhere = key.Length >= AlwaysRedactedLength;
        var result = new StringBuilder(text.Length);
        int copied = 0;
        for (int at = text.IndexOf(key, StringComparison.Ordinal); at >= 0; at = text.IndexOf(key, at, StringComparison.Ordinal))
        {
            if (anywhere || (!IsWordCharacter(text, at - 1) && !IsWordCharacter(text, at + key.Length)))
            {
                result.Append(text, copied, at - copied).Append(Mask);
                at += key.Length;
                copied = at;
            }
            else
            {
                at++;
            }
        }
        return copied == 0 ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool IsWordCharacter(string text, int index) =>
        index >= 0 && index < text.Length && (char.IsLetterOrDigit(text[index]) || text[index] == '_');
}
