using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Responses;
using TuZiImages.Core.Saving;
using TuZiImages.Core.Transport;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>Answers that once cost a paid image: saved with wrong bytes, or thrown away over something beside it.</summary>
public class ReaderRegressionTests
{
    private static async Task<ParsedResponse> Read(string json, SaveSession session, int bytesPerRead) =>
        await ImageResponseReader.ReadAsync(new TricklingStream(Encoding.UTF8.GetBytes(json), bytesPerRead), session, CancellationToken.None);

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
        return output.ToArray();
    }

    // JSON text of the value, and the base64 it holds once unescaped and stripped of whitespace.
    [Theory]
    [InlineData("{\"data\":[{\"b64_json\":\"n1relo pbAw==\"}]}", "n1relopbAw==")]
    [InlineData("{\"data\":[{\"url\":\"iV\\nGnAnQ\"}]}", "iVGnAnQ=")]
    [InlineData("{\"data\":[{\"b64_json\":\"QUJDQ UJDQUJDQUJD\"}]}", "QUJDQUJDQUJDQUJD")]
    [InlineData("{\"data\":[{\"url\":\"iVB\\nORw0KGgo=\"}]}", "iVBORw0KGgo=")]
    [InlineData("{\"data\":[{\"url\":\"data:image/png;base64,iVBORw0K\\r\\nGgo=\"}]}", "iVBORw0KGgo=")]
    [InlineData("{\"data\":[{\"b64_json\":\"QUJD\\tQUJD\\nQUJDQ\\u0020UJD QUJDQUJD\\r\\n\"}]}", "QUJDQUJDQUJDQUJDQUJDQUJD")]
    public async Task Whitespace_inside_base64_is_skipped_not_miscounted(string json, string base64)
    {
        foreach (int bytesPerRead in new[] { 1, 2, 3, 5, 64 * 1024 })
        {
            using var folder = new TempDirectory();
            using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);

            var response = await Read(json, session, bytesPerRead);

            var item = Assert.Single(response.Items);
            Assert.NotNull(item.File);
            Assert.Equal(Convert.FromBase64String(base64), File.ReadAllBytes(item.File!.TempPath));
        }
    }

    [Fact]
    public void Whitespace_at_any_place_in_any_piece_gives_the_same_bytes()
    {
        var data = new byte[300];
        new Random(12).NextBytes(data);
        string clean = Convert.ToBase64String(data);
        foreach (string space in new[] { " ", "\n", "\r\n", "  \t " })
        {
            for (int at = 0; at <= clean.Length; at++)
            {
                string spaced = clean.Insert(at, space);
                foreach (int piece in new[] { 1, 3, 4, 7, 64, 4096 })
                {
                    Assert.True(data.AsSpan().SequenceEqual(Decode(spaced, piece)), $"'{space}' at {at}, pieces of {piece}");
                }
            }
        }
        // MIME style, and a space in every group of four.
        Assert.Equal(data, Decode(Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks), 50));
        Assert.Equal(data, Decode(string.Join(" ", Enumerable.Range(0, clean.Length / 4).Select(i => clean.Substring(i * 4 + 0, 2) + " " + clean.Substring(i * 4 + 2, 2))), 9));
    }

    // Found by the differential test: the framework's decoder refuses unused bits that are not zero.
    [Theory]
    [InlineData("QUJ=")]
    [InlineData("QUK")]
    [InlineData("QR==")]
    [InlineData("QUJDQR")]
    [InlineData("QUJDQUJ=")]
    public void Base64_is_decoded_as_Convert_decodes_it_whatever_its_unused_bits(string base64)
    {
        string padded = base64.PadRight((base64.Length + 3) / 4 * 4, '=');
        foreach (int piece in new[] { 1, 2, 5, 100 })
        {
            Assert.Equal(Convert.FromBase64String(padded), Decode(base64, piece));
        }
    }

    [Theory]
    [InlineData("1700000000", 1700000000_000L)]
    [InlineData("1700000000000", 1700000000_000L)]
    [InlineData("1700000000123", 1700000000_123L)]
    [InlineData("1700000000.5", 1700000000_500L)]
    [InlineData("1.7e9", 1700000000_000L)]
    [InlineData("1700000000000000", 1700000000_000L)]
    [InlineData("\"1700000000\"", 1700000000_000L)]
    [InlineData("\"1700000000000\"", 1700000000_000L)]
    public async Task Created_is_read_in_seconds_or_milliseconds(string created, long expectedMilliseconds)
    {
        var response = await ReadWithCreated(created);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedMilliseconds), response.Created);
    }

    [Theory]
    [InlineData("1e999999")]
    [InlineData("-1e400")]
    [InlineData("-1700000000")]
    [InlineData("0")]
    [InlineData("1e30")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("\"yesterday\"")]
    [InlineData("{\"seconds\": 1700000000}")]
    [InlineData("[1700000000]")]
    [InlineData("17000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    public async Task A_created_that_makes_no_sense_is_left_empty_and_costs_no_image(string created)
    {
        var response = await ReadWithCreated(created);

        Assert.Null(response.Created);
        Assert.NotNull(Assert.Single(response.Items).File);
    }

    private static async Task<ParsedResponse> ReadWithCreated(string created)
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);
        return await Read($"{{\"data\":[{{\"b64_json\":\"{Convert.ToBase64String(TestImages.Png(4, 4))}\"}}],\"created\":{created}}}", session, 7);
    }

    [Theory]
    [InlineData("{\"data\":[],\"error\":null}")]
    [InlineData("{\"error\":null,\"data\":[]}")]
    [InlineData("{\"data\":[],\"error\":false}")]
    [InlineData("{\"data\":[],\"error\":\"\"}")]
    [InlineData("{\"data\":[],\"error\":[]}")]
    [InlineData("{\"data\":[],\"error\":{}}")]
    [InlineData("{\"data\":[],\"error\":{\"message\":null,\"type\":null,\"code\":null}}")]
    [InlineData("{\"data\":[],\"error\":{\"message\":\"\",\"type\":\"\",\"code\":null,\"param\":null}}")]
    public async Task An_empty_error_member_is_no_error(string json)
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);

        var response = await Read(json, session, 3);

        Assert.Null(response.ErrorMessage);
        Assert.Null(response.ErrorType);
        Assert.Null(response.ErrorCode);
        Assert.True(response.HasData);
    }

    [Theory]
    [InlineData("{\"error\":{\"message\":\"busy\",\"type\":\"server_error\",\"code\":null}}", "busy", "server_error", null)]
    [InlineData("{\"error\":{\"message\":\"busy\",\"code\":true}}", "busy", null, null)]
    [InlineData("{\"error\":{\"message\":\"busy\",\"code\":503}}", "busy", null, "503")]
    [InlineData("{\"error\":{\"message\":null,\"code\":\"quota\"}}", "(no message)", null, "quota")]
    [InlineData("{\"error\":\"busy\"}", "busy", null, null)]
    public async Task An_error_keeps_what_it_says_and_no_null_as_text(string json, string message, string? type, string? code)
    {
        using var folder = new TempDirectory();
        using var session = new SaveSession(SaveOptions.ToDirectory(folder.Path), DateTime.Now);

        var response = await Read(json, session, 2);

        Assert.Equal(message, response.ErrorMessage);
        Assert.Equal(type, response.ErrorType);
        Assert.Equal(code, response.ErrorCode);
    }

    [Fact]
    public void Error_bodies_of_failed_answers_read_null_as_nothing_too()
    {
        var body = ErrorBody.Parse(Encoding.UTF8.GetBytes("{\"error\":{\"message\":\"busy\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        Assert.Equal("busy", body.Message);
        Assert.Null(body.Code);

        var bare = ErrorBody.Parse(Encoding.UTF8.GetBytes("{\"error\":null,\"message\":\"upstream busy\",\"code\":null}"));
        Assert.Equal("upstream busy", bare.Message);
        Assert.Null(bare.Code);
    }
}
