using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Errors;
using TuZiImages.Core.Imaging;
using TuZiImages.Core.Retry;
using TuZiImages.Core.Saving;
using TuZiImages.Core.Transport;

namespace TuZiImages.Core.Results;

/// <summary>
/// Fetches images that the answer gave as URLs. The result hosts are other origins, so these requests never
/// carry the key; they follow redirects and are retried like API requests. A URL is the server's text and may
/// carry the key (a proxy that signs its links with it), so every message and log line that names one is redacted.
/// </summary>
internal sealed class ResultDownloader
{
    private readonly TuZiClientOptions _options;
    private readonly HttpClient _downloads;
    private readonly RetryRules _rules;
    private readonly IClientLog? _log;
    private readonly FailureMapper _failures;

    public ResultDownloader(TuZiClientOptions options, FailureMapper failures, IClientLog? log)
    {
        _options = options;
        _failures = failures;
        _downloads = HttpClientPool.ForDownloads(options.Proxy);
        _rules = RetryRules.From(options);
        _log = log;
    }

    public async Task<PendingFile> DownloadAsync(string url, int index, SaveSession session, CancellationToken cancellationToken)
    {
        string shownUrl = _failures.Redact(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new TuZiImagesException(TuZiErrorKind.MalformedResponse, $"Image {index + 1} has a URL that cannot be read: {shownUrl}") { Target = shownUrl };
        }
        return await AttemptLoop.RunAsync(_rules, (counts, token) => AttemptAsync(uri, url, shownUrl, index, session, counts, token), Log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One GET of the image: no gate and no key, since the result host is another origin and bills nothing.</summary>
    private async Task<AttemptResult<PendingFile>> AttemptAsync(Uri uri, string url, string shownUrl, int index, SaveSession session,
        AttemptCounts before, CancellationToken cancellationToken)
    {
        int attempt = before.Paid + 1;
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(_options.Timeout);
        // No Authorization header, ever: the result host is another origin.
        using var message = new HttpRequestMessage(HttpMethod.Get, uri);
        Log($"GET image {index + 1} from {uri.GetLeftPart(UriPartial.Authority)}, attempt {attempt} of {_rules.MaxAttempts}");
        try
        {
            using var response = await _downloads.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            // The result host bills nothing and passes no gate; its error page says nothing the message needs.
            var outcome = ResponseClassifier.Classify(new ResponseFacts { Status = status, ContentType = response.Content.Headers.ContentType?.MediaType });
            if (outcome.IsSuccess)
            {
                return AttemptResult<PendingFile>.Succeeded(await SaveAsync(response, shownUrl, index, session, attemptTimeout.Token).ConfigureAwait(false));
            }
            // 407 comes from the proxy on the way (downloads use the API's), not from the image host.
            bool proxyRefused = outcome.Verdict == ResponseVerdict.ProxyAuthentication;
            var failure = new TuZiImagesException(proxyRefused ? TuZiErrorKind.Authentication : status >= 500 ? TuZiErrorKind.Server : TuZiErrorKind.BadRequest,
                $"Image {index + 1} could not be downloaded from {shownUrl}: HTTP {status}{(proxyRefused ? ", the proxy asks for credentials" : "")}.")
            {
                StatusCode = status, Target = shownUrl, Attempts = attempt, MayHaveBeenBilled = true,
                RecommendedAction = proxyRefused ? FailureMapper.ProxyCredentialAdvice : "Fetch the URL yourself soon, before it expires.",
            };
            return AttemptResult<PendingFile>.Unsuccessful(outcome.ForAttempt(behindGate: false), failure, failure.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            bool timedOut = e is OperationCanceledException;
            var failure = new TuZiImagesException(timedOut ? TuZiErrorKind.Timeout : TuZiErrorKind.Network,
                _failures.Redact($"Image {index + 1} could not be downloaded from {url}: {(timedOut ? "no answer within " + FailureMapper.Seconds(_options.Timeout) : e.GetBaseException().Message)}"), e)
            {
                Target = shownUrl, Attempts = attempt, MayHaveBeenBilled = true,
                RecommendedAction = "Fetch the URL yourself soon, before it expires.",
            };
            // Fetching the image again bills nothing: the generation was paid for once.
            return AttemptResult<PendingFile>.Unsuccessful(new AttemptOutcome(timedOut ? AttemptEnd.TimedOut : AttemptEnd.Unreachable), failure, failure.Message);
        }
    }

    /// <param name="shownUrl">The URL as messages may name it: redacted.</param>
    private static async Task<PendingFile> SaveAsync(HttpResponseMessage response, string shownUrl, int index, SaveSession session, CancellationToken token)
    {
        var file = session.CreatePending();
        var header = new byte[ImageFormat.SniffLength];
        int headerLength = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            int read;
            while ((read = await body.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false)) > 0)
            {
                if (headerLength < header.Length)
                {
                    int take = Math.Min(read, header.Length - headerLength);
                    Array.Copy(buffer, 0, header, headerLength, take);
                    headerLength += take;
                }
                try
                {
                    await file.Stream.WriteAsync(buffer, 0, read, token).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new TuZiImagesException(TuZiErrorKind.FileSystem, $"Image {index + 1} could not be written to disk: {e.Message}", e) { Target = shownUrl };
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        SaveSession.Finish(file, header.AsSpan(0, headerLength));
        if (file.Format is null)
        {
            throw new TuZiImagesException(TuZiErrorKind.MalformedResponse,
                $"Image {index + 1} at {shownUrl} is not an image (Content-Type {response.Content.Headers.ContentType?.MediaType ?? "none"}).")
            {
                Target = shownUrl, StatusCode = (int)response.StatusCode, MayHaveBeenBilled = true,
            };
        }
        return file;
    }

    private void Log(string message) => _log?.Verbose(_failures.Redact(message));
}
