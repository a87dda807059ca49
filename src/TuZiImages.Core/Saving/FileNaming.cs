using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace TuZiImages.Core.Saving;

/// <summary>File names that are safe on every OS and say where the image came from.</summary>
public static class FileNaming
{
    /// <summary>A file-name stem from a prompt: "A red fox, at dawn!" becomes "a-red-fox-at-dawn".</summary>
    public static string Slug(string text, int maxLength = 40)
    {
        var builder = new StringBuilder();
        bool pendingDash = false;
        foreach (char c in (text ?? "").Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingDash && builder.Length > 0)
                {
                    builder.Append('-');
                }
                pendingDash = false;
                builder.Append(char.ToLowerInvariant(c));
                if (builder.Length >= maxLength)
                {
                    break;
                }
            }
            else
            {
                pendingDash = true;
            }
        }
        return builder.Length == 0 ? "image" : builder.ToString();
    }

    /// <summary>
    /// A stem the same request gives again: the prompt's slug and a short hash of what decides the images
    /// (<see cref="ImageRequest.IdentityHash"/>), so that a re-run finds what an earlier run made.
    /// </summary>
    public static string StemFor(string prompt, string identityHash) => Slug(prompt) + "-" + identityHash;

    /// <summary>Replaces characters no file system takes (the union of Windows' and Unix's).</summary>
    public static string Sanitize(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(new[] { '<', '>', ':', '"', '/', '\\', '|', '?', '*' }).ToArray();
        var chars = name.Trim().Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray();
        string result = new string(chars).TrimEnd('.', ' ');
        return result.Length == 0 ? "image" : result;
    }

    /// <summary>The numbered alternative tried when a name is taken: fox.png, fox_2.png, fox_3.png...</summary>
    internal static string Alternative(string path, int attempt) =>
        attempt <= 1 ? path
        : Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + "_" + attempt.ToString(CultureInfo.InvariantCulture) + Path.GetExtension(path));

    /// <summary>True when <paramref name="path"/> lies in <paramref name="folder"/> or below it (both full paths).</summary>
    public static bool IsInside(string path, string folder)
    {
        string root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        // Case matters on Linux and not on Windows or macOS; a folder that differs only in case is rare enough to count as inside.
        return Path.GetFullPath(path).StartsWith(root, StringComparison.OrdinalIgnoreCase);
    }
}
