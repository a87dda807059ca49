using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.Saving;

namespace TuZiImages.Core.Responses;

/// <summary>
/// Reads a streamed images answer (stream: true): <c>image_generation.partial_image</c> /
/// <c>image_edit.partial_image</c> events carry previews, <c>*.completed</c> events the final images with
/// their usage and settings. Each event's base64 is decoded straight to a file as it arrives.
/// </summary>
/// <remarks>
/// A preview is moved into place as soon as it is whole, so a person can open it while the final image is made;
/// the session removes the previews again if the request fails.
/// </remarks>
internal static class EventStreamImageReader
{
    private sealed class StreamedEvent
    {
        public string? Type { get; set; }
        public PendingFile? File { get; set; }
        public long? PartialImageIndex { get; set; }
        public ImageMetadata Metadata { get; } = new();
        public string? RevisedPrompt { get; set; }
    }

    public static async Task<ParsedResponse> ReadAsync(Stream body, SaveSession session, int expectedImages, CancellationToken cancellationToken)
    {
        var response = new ParsedResponse { HasData = true };
        int previews = 0;
        using var events = new ServerSentEventReader(body, cancellationToken);
        while (await events.NextEventAsync().ConfigureAwait(false))
        {
            using var json = new StreamingJsonReader(events.Data, cancellationToken, 16 * 1024);
            if (await json.PeekAsync().ConfigureAwait(false) != '{')
            {
                // "[DONE]" (OpenAI's chat streams, copied by some proxies) and other non-objects carry no image.
                continue;
            }
            string? error = null;
            var streamed = await ReadEventAsync(json, session, response, e => error = e).ConfigureAwait(false);
            string type = streamed.Type ?? events.EventName ?? "";
            if (type.EndsWith(".partial_image", StringComparison.Ordinal) && streamed.File is { Format: not null } preview)
            {
                // A preview belongs to the image still being made: the one after those already completed.
                int number = (int)(streamed.PartialImageIndex ?? previews) + 1;
                session.CommitPreview(preview, response.Items.Count, expectedImages, number);
                previews++;
            }
            else if (type.EndsWith(".completed", StringComparison.Ordinal))
            {
                var item = new ResponseItem { File = streamed.File, Metadata = streamed.Metadata, RevisedPrompt = streamed.RevisedPrompt };
                response.Items.Add(item);
            }
            else if (type == "error" || error is not null)
            {
                response.ErrorMessage ??= error ?? "(no message)";
            }
        }
        if (response.Items.Count == 0 && response.ErrorMessage is null)
        {
            throw new InvalidDataException(
                $"The event stream ended before the final image arrived ({(previews == 0 ? "no preview came either" : previews + " preview(s) came first")}).");
        }
        foreach (var item in response.Items)
        {
            item.Previews.AddRange(session.PreviewsFor(response.Items.IndexOf(item)));
        }
        return response;
    }

    private static async ValueTask<StreamedEvent> ReadEventAsync(StreamingJsonReader json, SaveSession session, ParsedResponse response, Action<string> onError)
    {
        var streamed = new StreamedEvent();
        if (!await json.BeginContainerAsync('{', '}').ConfigureAwait(false))
        {
            return streamed;
        }
        do
        {
            string name = await json.ReadPropertyNameAsync().ConfigureAwait(false);
            bool isString = await json.PeekAsync().ConfigureAwait(false) == '"';
            switch (name)
            {
                case "type" when isString:
                    streamed.Type = await ImageMetadataReader.ReadWordAsync(json).ConfigureAwait(false);
                    break;
                case "b64_json" when isString && streamed.File is null:
                    streamed.File = await ImageResponseReader.ReadBytesAsync(json, new ImageResponseReader.Base64FieldSink(session)).ConfigureAwait(false);
                    break;
                case "partial_image_index":
                    streamed.PartialImageIndex = await ImageMetadataReader.ReadCountAsync(json).ConfigureAwait(false);
                    break;
                case "created_at" or "created":
                    streamed.Metadata.CreatedAt = await ImageMetadataReader.ReadTimeAsync(json).ConfigureAwait(false);
                    break;
                case "revised_prompt" when isString:
                    streamed.RevisedPrompt = await ImageMetadataReader.ReadWordAsync(json, 16 * 1024).ConfigureAwait(false);
                    break;
                case "error":
                    await ImageResponseReader.ReadErrorAsync(json, response).ConfigureAwait(false);
                    onError(response.ErrorMessage ?? "(no message)");
                    break;
                case var field when ImageMetadataReader.Handles(field):
                    await ImageMetadataReader.ReadFieldAsync(json, field, streamed.Metadata).ConfigureAwait(false);
                    break;
                default:
                    await json.SkipValueAsync().ConfigureAwait(false);
                    break;
            }
        }
        while (await json.NextItemAsync('}').ConfigureAwait(false));
        return streamed;
    }
}
