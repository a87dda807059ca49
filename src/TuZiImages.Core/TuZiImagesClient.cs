using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.Http;
using TuZiImages.Core.Imaging;
using TuZiImages.Core.Json;
using TuZiImages.Core.Saving;

namespace TuZiImages.Core;

/// <summary>
/// The tu-zi images API: one request in, its images on disk (or as URLs) out. Thread-safe; every call takes a
/// CancellationToken and leaves no temporary file behind however it ends.
/// </summary>
public sealed class TuZiImagesClient
{
    private static readonly string[] RequestIdHeaders = { "x-request-id", "x-oneapi-request-id", "request-id", "x-amzn-requestid", "cf-ray" };
    private static readonly string[] RefusalMarkers = { "NO_IMAGE", "PROHIBITED_CONTENT" };

    private readonly TuZiClientOptions _options;
    private readonly HttpClient _api;
    private readonly HttpClient _downloads;
    private readonly RetryPolicy _retry;
    private readonly IClientLog? _log;

    /// <summary>Validates the options (a Configuration error says what to fix) and keeps a copy of them.</summary>
    public TuZiImagesClient(TuZiClientOptions options, IClientLog? log = null)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }
        options.Validate();
        _options = options.Clone();
        _api = HttpClientPool.ForApi(_options.BaseAddress);
        _downloads = HttpClientPool.ForDownloads;
        _retry = new RetryPolicy(_options);
        _log = log;
    }

    public string Model => _options.Model;

    public Task<ImageResponse> GenerateAsync(GenerationRequest request, SaveOptions save, CancellationToken cancellationToken = default) =>
        RunAsync(request, "Generate", model => new GenerationJsonContent(request, model), save, cancellationToken);

    public Task<ImageResponse> EditAsync(EditRequest request, SaveOptions save, CancellationToken cancellationToken = default) =>
        RunAsync(request, "Edit", model => BuildEditContent(request, model), save, cancellationToken);

    /// <summary>The endpoint's address; a base address that already ends in /v1 (as OpenAI-style ones often do) is not doubled.</summary>
    public Uri EndpointFor(ImageRequest request)
    {
        string root = _options.BaseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/');
        string path = request.Endpoint;
        if (root.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            path = path.Substring("/v1".Length);
        }
        return new Uri(root + path);
    }

    private static SentTrackingContent BuildEditContent(EditRequest request, string model)
    {
        var content = new MultipartFormContent();
        content.AddText("model", model);
        content.AddText("prompt", request.Prompt);
        foreach (var image in request.Images)
        {
            content.AddFile("image", image);
        }
        if (request.Mask is not null)
        {
            content.AddFile("mask", request.Mask);
        }
        AddIfSet(content, "n", request.Count?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(content, "size", request.Size);
        AddIfSet(content, "quality", request.Quality);
        AddIfSet(content, "response_format", request.ResponseFormat);
        AddIfSet(content, "user", request.User);
        return content;
    }

    private static void AddIfSet(MultipartFormContent content, string name, string? value)
    {
        if (value is not null)
        {
            content.AddText(name, value);
        }
    }

    private async Task<ImageResponse> RunAsync(
        ImageRequest request, string operation, Func<string, SentTrackingContent> contentFactory, SaveOptions save, CancellationToken cancellationToken)
    {
        request.Validate();
        save.Validate();
        string model = request.Model ?? _options.Model;
        var stopwatch = Stopwatch.StartNew();
        using var session = new SaveSession(save, DateTime.Now);
        SentRequest sent;
        try
        {
            sent = await SendAsync(request, model, contentFactory, session, cancellationToken).ConfigureAwait(false);
        }
        catch (TuZiImagesException e) when (e.Target is null)
        {
            // Name what the failure is about, so an error in a batch says which item it was.
            e.Target = request is EditRequest { Images.Count: 1 } edit ? edit.Images[0].FullPath : request.Prompt;
            throw;
        }
        var parsed = sent.Response;

        if (parsed.Items.Count == 0)
        {
            if (parsed.ErrorMessage is not null)
            {
                throw Failure(200, parsed.ErrorMessage, parsed.ErrorType, parsed.ErrorCode, sent.RequestId, sent.Attempts, model);
            }
            throw new TuZiImagesException(TuZiErrorKind.NoImage,
                Redact($"The service answered without any image (an empty data list{(parsed.HasData ? "" : ", or none at all")})."))
            {
                StatusCode = 200, RequestId = sent.RequestId, Attempts = sent.Attempts, Target = request.Prompt,
                RecommendedAction = "Try again, or rephrase the prompt: the model may have declined without saying so.",
            };
        }

        var files = new PendingFile?[parsed.Items.Count];
        var failures = new TuZiImagesException?[parsed.Items.Count];
        var downloads = new List<Task>();
        for (int i = 0; i < parsed.Items.Count; i++)
        {
            var item = parsed.Items[i];
            int index = i;
            if (item.RevisedPrompt is { } revised && RefusalMarkers.Any(m => revised.IndexOf(m, StringComparison.OrdinalIgnoreCase) >= 0))
            {
                failures[i] = new TuZiImagesException(TuZiErrorKind.ContentRefused,
                    Redact($"The model declined to make image {i + 1}: {ErrorBody.Excerpt(revised, 300)}"))
                {
                    StatusCode = 200, RequestId = sent.RequestId, Attempts = sent.Attempts, Target = request.Prompt, MayHaveBeenBilled = true,
                    ServerMessage = Redact(revised), RecommendedAction = "Rephrase the prompt or use other images.",
                };
            }
            else if (item.File is { } file)
            {
                if (file.Format is null)
                {
                    failures[i] = NotAnImage(i, sent);
                }
                else
                {
                    files[i] = file;
                }
            }
            else if (item.Url is { } url)
            {
                if (session.Options.DownloadUrls)
                {
                    downloads.Add(FetchAsync(url, index));
                }
            }
            else
            {
                failures[i] = new TuZiImagesException(TuZiErrorKind.NoImage, $"Image {i + 1} of the answer is empty: neither a URL nor image data.")
                {
                    StatusCode = 200, RequestId = sent.RequestId, Attempts = sent.Attempts, Target = request.Prompt,
                };
            }
        }
        await Task.WhenAll(downloads).ConfigureAwait(false);

        // One image that cannot be fetched does not cost the others: it becomes a failure of its own.
        async Task FetchAsync(string url, int index)
        {
            try
            {
                files[index] = await DownloadAsync(url, index, session, cancellationToken).ConfigureAwait(false);
            }
            catch (TuZiImagesException e)
            {
                failures[index] = e;
            }
        }

        var inputs = request.Files.Select(f => f.FullPath).ToArray();
        var created = parsed.Created;
        var images = new List<TuZiImageResult>();
        for (int i = 0; i < parsed.Items.Count; i++)
        {
            if (failures[i] is not null)
            {
                continue;
            }
            string? fullName = null;
            (int Width, int Height)? size = null;
            if (files[i] is { } file)
            {
                try
                {
                    fullName = session.Commit(file, i, parsed.Items.Count);
                    size = ImageDimensions.Read(fullName, file.Format!);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    failures[i] = new TuZiImagesException(TuZiErrorKind.FileSystem, $"Image {i + 1} could not be saved in '{session.Options.Directory}': {e.Message}", e)
                    {
                        Target = session.Options.FilePath ?? session.Options.Directory, RequestId = sent.RequestId, MayHaveBeenBilled = true,
                    };
                    continue;
                }
            }
            images.Add(new TuZiImageResult
            {
                Index = i + 1,
                Operation = operation,
                Prompt = request.Prompt,
                Model = model,
                Url = parsed.Items[i].Url,
                FullName = fullName,
                ContentType = files[i]?.Format?.ContentType,
                Width = size?.Width,
                Height = size?.Height,
                Length = files[i]?.Length,
                RevisedPrompt = parsed.Items[i].RevisedPrompt,
                Created = created,
                Elapsed = stopwatch.Elapsed,
                Attempts = sent.Attempts,
                RequestId = sent.RequestId,
                InputImages = inputs,
            });
        }
        var failed = failures.Where(f => f is not null).Select(f => f!).ToList();
        if (images.Count == 0)
        {
            throw failed[0];
        }
        return new ImageResponse { Images = images, Failures = failed, RequestId = sent.RequestId, Attempts = sent.Attempts, Elapsed = stopwatch.Elapsed };
    }

    private sealed class SentRequest
    {
        public SentRequest(ParsedResponse response, string? requestId, int attempts)
        {
            Response = response;
            RequestId = requestId;
            Attempts = attempts;
        }

        public ParsedResponse Response { get; }
        public string? RequestId { get; }
        public int Attempts { get; }
    }

    private async Task<SentRequest> SendAsync(
        ImageRequest request, string model, Func<string, SentTrackingContent> contentFactory, SaveSession session, CancellationToken cancellationToken)
    {
        var endpoint = EndpointFor(request);
        int maxAttempts = _options.MaxRetries + 1;
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.Timeout);
            // A new body each attempt: files are opened afresh, so a retry sends them whole.
            var content = contentFactory(model);
            using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var attemptWatch = Stopwatch.StartNew();
            Log($"{request.Describe(model)} to {endpoint.GetLeftPart(UriPartial.Authority)}, attempt {attempt} of {maxAttempts}");

            HttpResponseMessage response;
            try
            {
                response = await _api.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                bool billable = content.SentInFull;
                var failure = TimeoutFailure(billable, attempt, request, e);
                if (attempt < maxAttempts && (!billable || _options.RetryTimeoutAfterSend))
                {
                    await WaitBeforeRetryAsync(attempt, null, $"no answer within {Seconds(_options.Timeout)}", cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw failure;
            }
            catch (HttpRequestException e)
            {
                if (attempt < maxAttempts)
                {
                    await WaitBeforeRetryAsync(attempt, null, "connection failed: " + e.GetBaseException().Message, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw new TuZiImagesException(TuZiErrorKind.Network,
                    Redact($"Could not reach {endpoint.GetLeftPart(UriPartial.Authority)}: {e.GetBaseException().Message}"), e)
                {
                    Attempts = attempt, Target = request.Prompt, MayHaveBeenBilled = content.SentInFull,
                    RecommendedAction = "Check the base address and the network (proxy, firewall).",
                };
            }

            using (response)
            {
                string? requestId = FindRequestId(response);
                int status = (int)response.StatusCode;
                if (status >= 200 && status <= 299)
                {
                    Log($"HTTP {status} after {Seconds(attemptWatch.Elapsed)}{(requestId is null ? "" : ", request id " + requestId)}; reading the images");
                    var parsed = await ReadSuccessAsync(response, session, attempt, requestId, request, attemptTimeout.Token, cancellationToken).ConfigureAwait(false);
                    return new SentRequest(parsed, requestId, attempt);
                }

                ErrorBody body;
                try
                {
                    body = await ErrorBody.ReadAsync(response, attemptTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    body = new ErrorBody();
                }
                var failure = Failure(status, body.Message, body.Type, body.Code, requestId, attempt, model);
                bool quotaSpent = failure.Kind == TuZiErrorKind.PermissionOrQuota;
                if (RetryPolicy.IsRetryableStatus(status) && !quotaSpent && attempt < maxAttempts)
                {
                    await WaitBeforeRetryAsync(attempt, response, $"HTTP {status}", cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (status >= 300 && status <= 399)
                {
                    failure = new TuZiImagesException(TuZiErrorKind.Configuration,
                        $"The service answered HTTP {status}, a redirect{(response.Headers.Location is { } to ? " to " + to.GetLeftPart(UriPartial.Authority) : "")}. Redirects are not followed, so that the key goes to no other host.")
                    {
                        StatusCode = status, RequestId = requestId, Attempts = attempt,
                        RecommendedAction = "Set the base address to the final address of the service.",
                    };
                }
                throw failure;
            }
        }
    }

    private async Task<ParsedResponse> ReadSuccessAsync(HttpResponseMessage response, SaveSession session, int attempt, string? requestId,
        ImageRequest request, CancellationToken attemptToken, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return await ImageResponseReader.ReadAsync(body, session, attemptToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw TimeoutFailure(true, attempt, request, e);
        }
        catch (InvalidDataException e)
        {
            throw new TuZiImagesException(TuZiErrorKind.MalformedResponse, Redact(e.Message), e)
            {
                StatusCode = (int)response.StatusCode, RequestId = requestId, Attempts = attempt, MayHaveBeenBilled = true, Target = request.Prompt,
            };
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The service answered, so the image was probably made and billed: a retry could bill it twice.
            throw new TuZiImagesException(TuZiErrorKind.Network,
                Redact($"The connection broke while the answer was being read ({e.GetBaseException().Message}). The image may have been made and billed, so the request was not retried."), e)
            {
                StatusCode = (int)response.StatusCode, RequestId = requestId, Attempts = attempt, MayHaveBeenBilled = true, Target = request.Prompt,
            };
        }
    }

    private async Task<PendingFile> DownloadAsync(string url, int index, SaveSession session, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new TuZiImagesException(TuZiErrorKind.MalformedResponse, $"Image {index + 1} has a URL that cannot be read: {url}") { Target = url };
        }
        int maxAttempts = _options.MaxRetries + 1;
        for (int attempt = 1; ; attempt++)
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.Timeout);
            // No Authorization header, ever: the result host is another origin.
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            Log($"GET image {index + 1} from {uri.GetLeftPart(UriPartial.Authority)}, attempt {attempt} of {maxAttempts}");
            TuZiImagesException failure;
            HttpResponseMessage? response = null;
            try
            {
                response = await _downloads.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status >= 200 && status <= 299)
                {
                    return await SaveDownloadAsync(response, url, index, session, attemptTimeout.Token).ConfigureAwait(false);
                }
                failure = new TuZiImagesException(status >= 500 ? TuZiErrorKind.Server : TuZiErrorKind.BadRequest,
                    $"Image {index + 1} could not be downloaded from {url}: HTTP {status}.")
                {
                    StatusCode = status, Target = url, Attempts = attempt, MayHaveBeenBilled = true,
                    RecommendedAction = "Fetch the URL yourself soon, before it expires.",
                };
                if (!RetryPolicy.IsRetryableStatus(status) || attempt >= maxAttempts)
                {
                    throw failure;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
                failure = new TuZiImagesException(e is OperationCanceledException ? TuZiErrorKind.Timeout : TuZiErrorKind.Network,
                    $"Image {index + 1} could not be downloaded from {url}: {(e is OperationCanceledException ? "no answer within " + Seconds(_options.Timeout) : e.GetBaseException().Message)}", e)
                {
                    Target = url, Attempts = attempt, MayHaveBeenBilled = true,
                    RecommendedAction = "Fetch the URL yourself soon, before it expires.",
                };
                if (attempt >= maxAttempts)
                {
                    throw failure;
                }
            }
            finally
            {
                response?.Dispose();
            }
            await WaitBeforeRetryAsync(attempt, null, failure.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<PendingFile> SaveDownloadAsync(HttpResponseMessage response, string url, int index, SaveSession session, CancellationToken token)
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
                    throw new TuZiImagesException(TuZiErrorKind.FileSystem, $"Image {index + 1} could not be written to disk: {e.Message}", e) { Target = url };
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
                $"Image {index + 1} at {url} is not an image (Content-Type {response.Content.Headers.ContentType?.MediaType ?? "none"}).")
            {
                Target = url, StatusCode = (int)response.StatusCode, MayHaveBeenBilled = true,
            };
        }
        return file;
    }

    private async Task WaitBeforeRetryAsync(int attempt, HttpResponseMessage? response, string reason, CancellationToken cancellationToken)
    {
        var delay = _retry.DelayBefore(attempt, response);
        Log(Redact($"{reason}; retrying in {Seconds(delay)} (attempt {attempt + 1} of {_options.MaxRetries + 1})"));
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    private TuZiImagesException TimeoutFailure(bool sentInFull, int attempt, ImageRequest request, Exception inner)
    {
        string message = sentInFull
            ? $"No complete answer within {Seconds(_options.Timeout)} after the request was sent. The image may already have been made and billed, so the request was not retried."
            : $"The request could not be sent within {Seconds(_options.Timeout)}.";
        return new TuZiImagesException(TuZiErrorKind.Timeout, message, inner)
        {
            Attempts = attempt, MayHaveBeenBilled = sentInFull, Target = request.Prompt,
            RecommendedAction = "Allow more time per request: 4K images often take two minutes or more.",
        };
    }

    private TuZiImagesException NotAnImage(int index, SentRequest sent) =>
        new(TuZiErrorKind.MalformedResponse, $"Image {index + 1} of the answer is not a PNG, JPEG, WebP or GIF image (its data has other first bytes).")
        {
            StatusCode = 200, RequestId = sent.RequestId, Attempts = sent.Attempts, MayHaveBeenBilled = true,
        };

    /// <summary>Turns a failed answer into the error a caller acts on.</summary>
    private TuZiImagesException Failure(int status, string? serverMessage, string? type, string? code, string? requestId, int attempts, string model)
    {
        serverMessage = serverMessage is null ? null : Redact(serverMessage);
        bool quota = Mentions(type, code, "insufficient_quota", "quota", "balance", "billing");
        var (kind, what, action) = status switch
        {
            401 => (TuZiErrorKind.Authentication, "The service refused the API key",
                $"Check the key ($env:{TuZiClientOptions.ApiKeyVariable} or -ApiKey) and that it belongs to this service."),
            402 or 403 => (TuZiErrorKind.PermissionOrQuota, "The key may not do this, or its balance or quota is spent",
                $"Check that the key's group includes the model '{model}' and that the account has balance."),
            429 when quota => (TuZiErrorKind.PermissionOrQuota, "The key's quota is spent", "Top up the account or use another key."),
            429 => (TuZiErrorKind.RateLimit, "The service is limiting requests", "Wait and try again, or send fewer requests at once."),
            408 => (TuZiErrorKind.Timeout, "The service timed out waiting for the request", "Try again."),
            404 => (TuZiErrorKind.BadRequest, "The service has no such endpoint or model",
                $"Check the base address ({_options.BaseAddress}) and the model name."),
            >= 500 => (TuZiErrorKind.Server, status is 502 or 504 ? "A gateway in front of the service failed" : "The service failed",
                status == 504 ? "Try again later; a 504 can come after the image was made, so check your usage before retrying." : "Try again later."),
            200 => (quota ? TuZiErrorKind.PermissionOrQuota : TuZiErrorKind.BadRequest, "The service answered with an error instead of images", "Read the server's message."),
            _ => (TuZiErrorKind.BadRequest, "The service rejected the request", "Read the server's message and correct the request."),
        };
        string message = $"{what} (HTTP {status}{(requestId is null ? "" : ", request id " + requestId)})"
            + (string.IsNullOrEmpty(serverMessage) ? "." : ": " + serverMessage);
        return new TuZiImagesException(kind, Redact(message))
        {
            StatusCode = status, ServerMessage = serverMessage, ServerErrorType = type, ServerErrorCode = code,
            RequestId = requestId, Attempts = attempts, RecommendedAction = action,
            MayHaveBeenBilled = status == 504,
        };
    }

    private static bool Mentions(string? type, string? code, params string[] words) =>
        words.Any(w => (type?.IndexOf(w, StringComparison.OrdinalIgnoreCase) ?? -1) >= 0 || (code?.IndexOf(w, StringComparison.OrdinalIgnoreCase) ?? -1) >= 0);

    private static string? FindRequestId(HttpResponseMessage response)
    {
        foreach (string name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } id)
            {
                return id;
            }
        }
        return null;
    }

    /// <summary>Removes the key from text that came from outside (a server that echoes it, an exception message).</summary>
    internal string Redact(string text) =>
        string.IsNullOrEmpty(_options.ApiKey) ? text : text.Replace(_options.ApiKey, "***");

    private void Log(string message) => _log?.Verbose(message);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
