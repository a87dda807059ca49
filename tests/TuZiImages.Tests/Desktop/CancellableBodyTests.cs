using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Transport;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Desktop;

/// <summary>
/// .NET Framework's response stream ignores ReadAsync's token, so in Windows PowerShell the module reads bodies
/// through <see cref="CancellableReadStream"/>. Here a stream that ignores tokens the same way stands in for it.
/// </summary>
public class CancellableBodyTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_stalled_read_ends_when_its_token_is_cancelled_though_the_stream_under_it_ignores_tokens()
    {
        var stalled = new TokenIgnoringStream();
        using var stream = new CancellableReadStream(stalled);
        using var cancellation = new CancellationTokenSource();
        var read = stream.ReadAsync(new byte[16], 0, 16, cancellation.Token);
        await stalled.ReadStarted.WaitAsync(Generous);

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Generous));
        // ...and the stream under it is closed, which is what ends the pending read on .NET Framework.
        await stalled.Disposed.WaitAsync(Generous);
    }

    [Fact]
    public async Task An_abandoned_read_that_completes_later_never_writes_into_the_callers_buffer()
    {
        var stalled = new TokenIgnoringStream();
        using var stream = new CancellableReadStream(stalled);
        using var cancellation = new CancellationTokenSource();
        var callers = Enumerable.Repeat((byte)0xAA, 16).ToArray();
        var read = stream.ReadAsync(callers, 0, 16, cancellation.Token);
        await stalled.ReadStarted.WaitAsync(Generous);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Generous));

        stalled.Complete(0x55);

        Assert.All(callers, b => Assert.Equal(0xAA, b));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.ReadAsync(new byte[4], 0, 4, CancellationToken.None));
    }

    [Fact]
    public async Task Reads_that_are_not_cancelled_deliver_the_bytes_unchanged()
    {
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        using var stream = new CancellableReadStream(new TricklingStream(data, 4096));
        using var cancellation = new CancellationTokenSource();
        using var copy = new MemoryStream();
        var buffer = new byte[10_000];
        int n;
        while ((n = await stream.ReadAsync(buffer, 3, 9_000, cancellation.Token)) > 0)
        {
            copy.Write(buffer, 3, n);
        }

        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task The_handler_keeps_the_answers_headers_and_body_over_real_http()
    {
        await using var harness = await ClientHarness.StartAsync();
        using var plain = new HttpClient();
        using var wrapped = new HttpClient(new CancellableBodyHandler(new HttpClientHandler()));
        var address = new Uri(harness.Server.ApiBaseAddress, "/_control/requests");

        using var expected = await plain.GetAsync(address, HttpCompletionOption.ResponseHeadersRead);
        using var actual = await wrapped.GetAsync(address, HttpCompletionOption.ResponseHeadersRead);

        Assert.IsType<CancellableBodyContent>(actual.Content);
        Assert.Equal(expected.Content.Headers.ContentType, actual.Content.Headers.ContentType);
        Assert.Equal(expected.Content.Headers.ContentLength, actual.Content.Headers.ContentLength);
        await using var body = await actual.Content.ReadAsStreamAsync();
        Assert.IsType<CancellableReadStream>(body);
        using var reader = new StreamReader(body);
        Assert.Equal(await expected.Content.ReadAsStringAsync(), await reader.ReadToEndAsync());
    }

    /// <summary>Like .NET Framework's ConnectStream: ReadAsync ignores its token and ends only with data or Dispose.</summary>
    private sealed class TokenIgnoringStream : Stream
    {
        private readonly TaskCompletionSource<int> _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private byte[]? _buffer;

        public Task ReadStarted => _started.Task;
        public Task Disposed => _disposed.Task;

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _buffer = buffer;
            _started.TrySetResult();
            return _pending.Task;
        }

        public void Complete(byte fill)
        {
            Array.Fill(_buffer!, fill);
            _pending.TrySetResult(_buffer!.Length);
        }

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
