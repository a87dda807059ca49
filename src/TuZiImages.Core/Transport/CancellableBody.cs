using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Transport;

/// <summary>
/// .NET Framework's HttpClientHandler honours a CancellationToken only until the headers arrive: its response
/// stream ignores the token of ReadAsync. In Windows PowerShell a body that stalls would then hold Ctrl+C and the
/// per-attempt timeout until the server sends more. This handler gives every response body a stream whose reads
/// end when their token is cancelled. Used on .NET Framework only; .NET's own handler already does this.
/// </summary>
internal sealed class CancellableBodyHandler : DelegatingHandler
{
    public CancellableBodyHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content is { } content)
        {
            response.Content = new CancellableBodyContent(content);
        }
        return response;
    }
}

/// <summary>The response's content with the same headers, read through a <see cref="CancellableReadStream"/>.</summary>
internal sealed class CancellableBodyContent : HttpContent
{
    private readonly HttpContent _inner;

    public CancellableBodyContent(HttpContent inner)
    {
        _inner = inner;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new CancellableReadStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false));

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength.HasValue;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>
/// A read-only stream whose ReadAsync returns as soon as its token is cancelled, even when the stream under it
/// ignores tokens. The abandoned read is left to finish into a buffer of this stream's own (never the caller's,
/// which may already be back in a pool), and the stream under it is closed so that it does finish.
/// </summary>
internal sealed class CancellableReadStream : Stream
{
    private readonly Stream _inner;
    private byte[] _own = Array.Empty<byte>();
    private bool _abandoned;

    public CancellableReadStream(Stream inner) => _inner = inner;

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_abandoned)
        {
            throw new ObjectDisposedException(nameof(CancellableReadStream), "A cancelled read left this stream unusable.");
        }
        if (!cancellationToken.CanBeCanceled)
        {
            return await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }
        if (_own.Length < count)
        {
            _own = new byte[count];
        }
        var read = _inner.ReadAsync(_own, 0, count, cancellationToken);
        if (!read.IsCompleted)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(read, cancelled.Task).ConfigureAwait(false) != read)
                {
                    Abandon(read);
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }
        int n = await read.ConfigureAwait(false);
        Buffer.BlockCopy(_own, 0, buffer, offset, n);
        return n;
    }

    private void Abandon(Task<int> read)
    {
        _abandoned = true;
        _own = Array.Empty<byte>();
        // Observed, so a read that fails once the stream is closed is no unobserved-task exception.
        _ = read.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        // Closing may wait on the connection; the caller who pressed Ctrl+C must not.
        _ = Task.Run(() =>
        {
            try
            {
                _inner.Dispose();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or WebException)
            {
            }
        });
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_abandoned)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
