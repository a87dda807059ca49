using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http.Headers;
using System.Net.Http;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Errors;
using TuZiImages.Core.RateLimits;
using TuZiImages.Core.Retry;

namespace TuZiImages.Core.Transport;

/// <summary>
/// The path from a call to the wire and back: the key and headers, a timeout per attempt, the rate gate, and
/// retries of what may be retried without paying twice. Images, the model list and tasks alike: each call hands
/// in the reader of its 2xx answer; what any other answer means is <see cref="ResponseClassifier"/>'s.
/// </summary>
internal sealed class ApiRequestSender
{
    private static readonly string[] RequestIdHeaders = { "x-request-id", "x-oneapi-request-id", "request-id", "x-amzn-requestid", "cf-ray" };

    private readonly TuZiClientOptions _options;
    private readonly HttpClient _api;
    private readonly RetryAfterHeader _retry;
    private readonly RetryRules _rules;
    private readonly FailureMapper _failures;
    private readonly IClientLog? _log;
    private readonly KeyValuePair<string, string>[] _extraHeaders;
    private readonly ServiceRateGate _gate;
    private readonly object _firstArrivalLock = new();
    private TimeSpan? _firstArrival;

    public ApiRequestSender(TuZiClientOptions options, FailureMapper failures, IClientLog? log)
    {
        _options = options;
        _api = HttpClientPool.ForApi(options.BaseAddress, options.Proxy);
        _retry = new RetryAfterHeader(options);
        _rules = RetryRules.From(options);
        _failures = failures;
        _log = log;
        // Under the name Validate checked: HttpHeaders throws FormatException for one with spaces around it.
        _extraHeaders = (options.AdditionalHeaders ?? new Dictionary<string, string>())
            .Select(h => new KeyValuePair<string, string>(h.Key.Trim(), h.Value ?? "")).ToArray();
        _gate = (options.RateGates ?? RateGateRegistry.Process).For(options);
    }

    /// <summary>Where the service's limits stand for this address (for the progress bar).</summary>
    public ServiceRateStatus RateStatus => _gate.Status();

    /// <summary>
    /// One call to the API, however many attempts it takes: every method and endpoint shares the key, the
    /// timeout per attempt, the retries and the mapping of failures. <paramref name="readSuccess"/> reads a 2xx answer.
    /// </summary>
    public Task<T> SendAsync<T>(ApiCall call, Func<HttpResponseMessage, int, string?, CancellationToken, Task<T>> readSuccess,
        CancellationToken cancellationToken)
    {
        // The place in the gate's queue is taken once: a rate-limited attempt goes back to it, not to the end.
        var arrival = PatienceFromFirst(_gate.NextArrival());
        TuZiImagesException? lastRateLimit = null;
        // A call whose caller tries again itself (a task's poll) is sent once here, so a failure is retried once, not twice.
        var rules = call.RetriedByCaller ? _rules with { MaxRetries = 0 } : _rules;
        return AttemptLoop.RunAsync(rules, async (counts, token) =>
        {
            // The gate decides when this request may go to the wire: the service's pause and its learned limits.
            var lease = await _gate.AcquireAsync(arrival, _options.MaxConcurrency, _options.RateLimitPatience, token).ConfigureAwait(false);
            if (lease is null)
            {
                return AttemptResult<T>.Unsuccessful(new AttemptOutcome(AttemptEnd.PatienceSpent),
                    _failures.RateLimitPatienceSpent(lastRateLimit, counts.Sent, call.Target), "");
            }
            using (lease)
            {
                var result = await AttemptAsync(call, rules, lease, counts, readSuccess, token).ConfigureAwait(false);
                if (result.Outcome.End == AttemptEnd.RateLimited)
                {
                    lastRateLimit = result.Failure;
                }
                return result;
            }
        }, Log, cancellationToken);
    }

    /// <summary>
    /// Patience counts from this client's first request (an invocation's), not each request's: once the service has
    /// admitted nothing for the patience, the rest of the invocation end at once instead of each waiting its own, while
    /// a later invocation gets a patience of its own.
    /// </summary>
    private ServiceRateGate.Arrival PatienceFromFirst(ServiceRateGate.Arrival arrival)
    {
        lock (_firstArrivalLock)
        {
            _firstArrival ??= arrival.At;
            return arrival with { At = _firstArrival.Value };
        }
    }

    /// <summary>One attempt on the wire, its outcome classified for the retry decision and reported to the gate.</summary>
    private async Task<AttemptResult<T>> AttemptAsync<T>(ApiCall call, RetryRules rules, ServiceRateGate.Lease lease, AttemptCounts before,
        Func<HttpResponseMessage, int, string?, CancellationToken, Task<T>> readSuccess, CancellationToken cancellationToken)
    {
        int sent = before.Sent + 1;
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(_options.Timeout);
        // A new body each attempt: files are opened afresh, so a retry sends them whole.
        var content = call.Content?.Invoke();
        using var message = NewMessage(call, content);
        var attemptWatch = Stopwatch.StartNew();
        Log($"{call.Description} to {call.Endpoint.GetLeftPart(UriPartial.Authority)}, attempt {before.Paid + 1} of {rules.MaxAttempts}"
            + (before.RateLimited > 0 ? $" (after {before.RateLimited} rate-limited attempt(s), which do not count)" : ""));

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
            var outcome = ResponseClassifier.NoCompleteAnswer(AttemptEnd.TimedOut, call.Billable, content?.SentInFull ?? false);
            return AttemptResult<T>.Unsuccessful(outcome,
                _failures.Timeout(outcome.MayHaveBeenBilled, sent, call.Target, call.Model, e, hasBody: content is not null),
                $"no answer within {FailureMapper.Seconds(_options.Timeout)}");
        }
        catch (HttpRequestException e)
        {
            var outcome = ResponseClassifier.NoCompleteAnswer(AttemptEnd.Unreachable, call.Billable, content?.SentInFull ?? false);
            var failure = _failures.Unreachable(call.Endpoint, e, sent, call.Target, call.Model, outcome.MayHaveBeenBilled);
            if (failure.Kind == TuZiErrorKind.Authentication)
            {
                // A proxy that refused the tunnel for want of credentials refuses every try: nothing to retry.
                outcome = new AttemptOutcome(AttemptEnd.Failed);
            }
            return AttemptResult<T>.Unsuccessful(outcome, failure, "connection failed: " + e.GetBaseException().Message);
        }

        using (response)
        {
            // A header is the server's text: it reaches results, errors and verbose lines, so it is redacted.
            string? requestId = FindRequestId(response) is { } id ? _failures.Redact(id) : null;
            int status = (int)response.StatusCode;
            // The error body is read first, so that whether the request went out whole is judged once the answer is over.
            var errorBody = ResponseClassifier.IsSuccessStatus(status)
                ? new ErrorBody()
                : await ReadErrorBodyAsync(response, attemptTimeout.Token, cancellationToken).ConfigureAwait(false);
            var answer = new ResponseFacts
            {
                Status = status, ContentType = response.Content.Headers.ContentType?.MediaType, Body = errorBody, ServerDelay = _retry.ServerDelay(response),
                Billable = call.Billable, BodySentWhole = content?.SentInFull ?? false,
            };
            var outcome = ResponseClassifier.Classify(answer);
            if (outcome.IsSuccess)
            {
                Log($"HTTP {status} after {FailureMapper.Seconds(attemptWatch.Elapsed)}{(requestId is null ? "" : ", request id " + requestId)}; reading {call.AnswerName}");
                var read = await ReadAnswerAsync(call, readSuccess, response, sent, requestId, attemptTimeout.Token, cancellationToken).ConfigureAwait(false);
                if (read.Outcome.End == AttemptEnd.Success)
                {
                    LogChange(lease.Admitted(success: true));
                }
                return read;
            }

            var failure = _failures.FromAnswer(outcome, answer, response.Headers.Location, requestId, sent, call.Model);
            if (outcome.Verdict == ResponseVerdict.RateLimited)
            {
                // The service did no work: try again when it allows, in this request's place, without spending a retry.
                var refusal = lease.RateLimited(outcome.ServerDelay, errorBody.Message);
                LogChange(refusal.Change);
                Log($"HTTP 429; retrying {refusal.Wait} (a rate limit: new requests to this address wait too; not counted against the retries)");
                return AttemptResult<T>.Unsuccessful(outcome.ForAttempt(behindGate: true), failure, "HTTP 429");
            }
            lease.Admitted(success: false);
            return AttemptResult<T>.Unsuccessful(outcome.ForAttempt(behindGate: true), failure, $"HTTP {status}");
        }
    }

    /// <summary>
    /// A 2xx answer, read by the call's own reader. One that cannot be read whole goes to the retry decision like any
    /// other ending: a call that bills may have made its image or task (the service answered), so it is not sent again;
    /// a list or a poll makes nothing, so one cut off is tried again and one that is not what it should be is not.
    /// </summary>
    private async Task<AttemptResult<T>> ReadAnswerAsync<T>(ApiCall call, Func<HttpResponseMessage, int, string?, CancellationToken, Task<T>> read,
        HttpResponseMessage response, int attempt, string? requestId, CancellationToken attemptToken, CancellationToken cancellationToken)
    {
        try
        {
            return AttemptResult<T>.Succeeded(await read(response, attempt, requestId, attemptToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidDataException or IOException or HttpRequestException)
        {
            // The service answered, so what it was sent arrived whole.
            var outcome = ResponseClassifier.NoCompleteAnswer(e is InvalidDataException ? AttemptEnd.Failed : AttemptEnd.AnswerBroken, call.Billable, bodySentWhole: true);
            var failure = _failures.AnswerUnread(e, outcome.MayHaveBeenBilled, call.AnswerName, (int)response.StatusCode, requestId, attempt, call.Target, call.Model);
            return AttemptResult<T>.Unsuccessful(outcome, failure, $"the answer broke off: {e.GetBaseException().Message}");
        }
    }

    /// <summary>An error answer's body; one that does not arrive within the attempt's time is an empty one.</summary>
    private static async Task<ErrorBody> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken attemptToken, CancellationToken cancellationToken)
    {
        try
        {
            return await ErrorBody.ReadAsync(response, attemptToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ErrorBody();
        }
    }

    private HttpRequestMessage NewMessage(ApiCall call, SentTrackingContent? content)
    {
        var message = new HttpRequestMessage(call.Method, call.Endpoint) { Content = content };
        if (call.SendsKey)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (call.AcceptsEventStream)
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }
        AddExtraHeaders(message);
        return message;
    }

    private void LogChange(LimitChange? change)
    {
        if (change is not null)
        {
            Log(change.ToString());
        }
    }

    private void AddExtraHeaders(HttpRequestMessage message)
    {
        foreach (var header in _extraHeaders)
        {
            message.Headers.Remove(header.Key);
            if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value) && message.Content is not null)
            {
                // Content-Language and the like belong to the body's headers.
                message.Content.Headers.Remove(header.Key);
                message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }

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

    private void Log(string message) => _log?.Verbose(_failures.Redact(message));
}
