using System.Net.Http;
using System.Threading;

namespace TuZiImages.Core.Bodies;

/// <summary>
/// A request body that knows when it has been written out in full: a timeout after that point means the
/// service has the whole request and may already be making (and billing) the image.
/// </summary>
internal abstract class SentTrackingContent : HttpContent
{
    private int _sentInFull;

    public bool SentInFull => Volatile.Read(ref _sentInFull) == 1;

    protected void MarkSentInFull() => Interlocked.Exchange(ref _sentInFull, 1);

    protected const int CopyBufferSize = 81920;
}
