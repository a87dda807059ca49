using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.Saving;

namespace TuZiImages.Core.Responses;

/// <summary>The reader of a 2xx answer to an image request: its images go into the save session as they arrive.</summary>
internal static class ImageAnswerReader
{
    public static async Task<ParsedResponse> ReadAsync(HttpResponseMessage response, SaveSession session, int expectedImages, CancellationToken cancellationToken)
    {
        using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        // The answer's type decides, not the request: a service may ignore stream and answer plain JSON.
        if (IsEventStream(response))
        {
            return await EventStreamImageReader.ReadAsync(body, session, expectedImages, cancellationToken).ConfigureAwait(false);
        }
        return await ImageResponseReader.ReadAsync(body, session, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
}
