using System.IO;
using System.Linq;
using System.Text;
using System;
using TuZiImages.Core.Responses;

namespace TuZiImages.Tests.Core;

public class Base64DecodingSinkTests
{
    private static byte[] Decode(string base64, int pieceSize)
    {
        using var output = new MemoryStream();
        using var sink = new Base64DecodingSink(output);
        var bytes = Encoding.ASCII.GetBytes(base64);
        for (int i = 0; i < bytes.Length; i += pieceSize)
        {
            sink.Write(bytes.AsSpan(i, Math.Min(pieceSize, bytes.Length - i)));
        }
        sink.Complete();
        Assert.Equal(output.Length, sink.BytesWritten);
        return output.ToArray();
    }

    public static TheoryData<int, int> Lengths => new()
    {
        { 0, 1 }, { 1, 1 }, { 2, 3 }, { 3, 7 }, { 100, 1 }, { 1000, 5 }, { 65536, 4096 }, { 1 << 20, 65536 }, { 300001, 333 },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Decodes_any_length_split_at_any_point(int length, int pieceSize)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Assert.Equal(data, Decode(Convert.ToBase64String(data), pieceSize));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(4096)]
    public void Tolerates_line_breaks_url_safe_letters_and_missing_padding(int pieceSize)
    {
        var data = new byte[10000];
        new Random(7).NextBytes(data);
        string wrapped = Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks);
        string urlSafe = Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_').TrimEnd('=');

        Assert.Equal(data, Decode(wrapped, pieceSize));
        Assert.Equal(data, Decode(urlSafe, pieceSize));
    }

    [Fact]
    public void Keeps_the_first_bytes_for_recognising_the_image()
    {
        var data = Enumerable.Range(0, 50).Select(i => (byte)i).ToArray();
        using var output = new MemoryStream();
        using var sink = new Base64DecodingSink(output);
        sink.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(data)));
        sink.Complete();

        Assert.Equal(data.Take(12).ToArray(), sink.Header.ToArray());
    }

    [Theory]
    [InlineData("QUJD*EVG")]
    [InlineData("QUI=QUJD")]
    [InlineData("Q")]
    public void Rejects_what_is_not_base64(string text)
    {
        Assert.Throws<InvalidDataException>(() => Decode(text, 3));
    }
}
