using System.IO;
using System.Text;
using System.Threading.Tasks;
using System.Threading;
using TuZiImages.Core.Responses;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

public class ServerSentEventReaderTests
{
    private static async Task<(string? Name, string Data)[]> ReadAll(string text, int maxPerRead)
    {
        using var events = new ServerSentEventReader(new TricklingStream(Encoding.UTF8.GetBytes(text), maxPerRead), CancellationToken.None, bufferSize: 16);
        var result = new System.Collections.Generic.List<(string?, string)>();
        while (await events.NextEventAsync())
        {
            using var reader = new StreamReader(events.Data);
            result.Add((events.EventName, await reader.ReadToEndAsync()));
        }
        return result.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public async Task Events_are_read_whatever_the_pieces_the_socket_hands_out(int maxPerRead)
    {
        string text = ": comment\r\n\r\nevent: one\r\ndata: {\"a\":1}\r\n\r\nid: 7\nevent: two\ndata:line1\ndata: line2\nretry: 10\n\ndata: [DONE]\n\n";

        var events = await ReadAll(text, maxPerRead);

        Assert.Equal(new (string?, string)[] { ("one", "{\"a\":1}"), ("two", "line1\nline2"), (null, "[DONE]") }, events);
    }

    [Fact]
    public async Task Unread_data_is_skipped_so_the_next_event_is_still_found()
    {
        using var events = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes("data: " + new string('A', 100_000) + "\n\nevent: next\ndata: x\n\n")), CancellationToken.None, bufferSize: 64);

        Assert.True(await events.NextEventAsync());
        Assert.True(await events.NextEventAsync());
        Assert.Equal("next", events.EventName);
        Assert.Equal("x", await new StreamReader(events.Data).ReadToEndAsync());
        Assert.False(await events.NextEventAsync());
    }

    [Fact]
    public async Task An_event_is_handed_out_before_the_next_one_has_been_sent()
    {
        // A pipe the test writes into: the reader must not wait for bytes after the blank line that ends an event.
        var pipe = new System.IO.Pipelines.Pipe();
        using var events = new ServerSentEventReader(pipe.Reader.AsStream(), CancellationToken.None);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("event: image_generation.partial_image\ndata: {\"a\":1}\n\n"));

        var read = Task.Run(async () =>
        {
            Assert.True(await events.NextEventAsync());
            var buffer = new byte[64];
            int n = await events.Data.ReadAsync(buffer, 0, buffer.Length);
            return Encoding.UTF8.GetString(buffer, 0, n) + "|" + await events.Data.ReadAsync(buffer, 0, buffer.Length);
        });

        // A TimeoutException here means the event waited for the next one.
        Assert.Equal("{\"a\":1}|0", await read.WaitAsync(System.TimeSpan.FromSeconds(30)));
        await pipe.Writer.CompleteAsync();
    }

    [Fact]
    public async Task A_stream_that_ends_inside_an_event_is_an_io_error()
    {
        using var events = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes("event: image_generation.completed\ndata: {\"b64_json\":\"iVBOR")), CancellationToken.None);

        Assert.True(await events.NextEventAsync());
        var e = await Assert.ThrowsAsync<IOException>(() => new StreamReader(events.Data).ReadToEndAsync());
        Assert.Contains("middle of event 1", e.Message);
    }
}
