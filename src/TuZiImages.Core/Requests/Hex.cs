using System.Globalization;
using System.Text;

namespace TuZiImages.Core.Requests;

/// <summary>Bytes as lower-case hex digits, as SHA-256 sums are written.</summary>
internal static class Hex
{
    public static string Lower(byte[] bytes, int count = -1)
    {
        int length = count < 0 ? bytes.Length : count;
        var builder = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++)
        {
            builder.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
