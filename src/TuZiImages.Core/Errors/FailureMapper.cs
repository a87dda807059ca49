using System.Globalization;
using System.IO;
using System.Net.Http;
using System;
using TuZiImages.Core.Transport;

namespace TuZiImages.Core.Errors;

/// <summary>
/// Turns whatever went wrong (a status and error body, a timeout, a broken connection) into the one error a
/// caller acts on, and takes the key out of any text that came from outside.
/// </summary>
internal sealed class FailureMapper
{
    private readonly TuZiClientOptions _options;

    public FailureMapper(TuZiClientOptions options) => _options = options;

    /// <summary>Removes the key from text that came from outside (a server that echoes it, an exception message).</summary>
    public string Redact(string text) => KeyRedaction.Redact(text, _options.ApiKey);

    /// <summary>
    /// A failed answer, as <see cref="ResponseClassifier"/> judged it: a gateway's timeout and a redirect say so; any
    /// other is what its status and error body said.
    /// </summary>
    public TuZiImagesException FromAnswer(ResponseOutcome outcome, ResponseFacts answer, Uri? location, string? requestId, int attempts, string model) =>
        outcome.Verdict switch
        {
            ResponseVerdict.GatewayTimeout => GatewayTimeout(answer.Status, answer.Body.Message, requestId, attempts, model),
            ResponseVerdict.Redirect => Redirect(answer.Status, location, requestId, attempts),
            _ => FromAnswer(answer.Status, answer.Body.Message, answer.Body.Type, answer.Body.Code, requestId, attempts, model, outcome.MayHaveBeenBilled),
        };

    /// <summary>A failed answer: the status and what the error body said.</summary>
    public TuZiImagesException FromAnswer(int status, string? serverMessage, string? type, string? code, string? requestId, int attempts, string model,
        bool mayHaveBeenBilled)
    {
        serverMessage = serverMessage is null ? null : Redact(serverMessage);
        type = type is null ? null : Redact(type);
        code = code is null ? null : Redact(code);
        bool quota = ResponseClassifier.IsSpentQuota(type, code);
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
            >= 500 => (TuZiErrorKind.Server, status is 502 or 504 ? "A gateway in front of the service failed" : "The service failed", "Try again later."),
            407 => (TuZiErrorKind.Authentication, $"The proxy {ProxyName()} asks for credentials", ProxyCredentialAdvice),
            200 => (quota ? TuZiErrorKind.PermissionOrQuota : TuZiErrorKind.BadRequest, "The service answered with an error instead of images", "Read the server's message."),
            _ => (TuZiErrorKind.BadRequest, "The service rejected the request", "Read the server's message and correct the request."),
        };
        if (status != 401 && ResponseClassifier.IsModelOutsideGroup(serverMessage, code))
        {
            // new-api answers this with 503 too: the key's group is the cause, not the service.
            kind = TuZiErrorKind.PermissionOrQuota;
            what = string.IsNullOrEmpty(model) ? "The key's group does not include the model" : $"The key's group does not include the model '{model}'";
            action = "Run Get-TuZiModel to list the models this key may use, or use a key whose group includes the model.";
        }
        string message = $"{what} (HTTP {status}{(requestId is null ? "" : ", request id " + requestId)})"
            + (string.IsNullOrEmpty(serverMessage) ? "." : ": " + serverMessage);
        if (mayHaveBeenBilled)
        {
            // A 504 can come after the image was made.
            message += " " + NotSentAgainNote(model);
            action = TryAgainWithoutPayingTwice(model);
        }
        return new TuZiImagesException(kind, Redact(message))
        {
            StatusCode = status, ServerMessage = serverMessage, ServerErrorType = type, ServerErrorCode = code,
            RequestId = requestId, Attempts = attempts, RecommendedAction = action,
            MayHaveBeenBilled = mayHaveBeenBilled,
        };
    }

    /// <summary>What every error of an attempt that may have been billed says: the one rule (see RetryRules.Decide).</summary>
    internal const string NotSentAgain = "The image may have been made and billed, so the request was not sent again.";

    /// <summary>
    /// How to try again on purpose: -SkipExisting sends only what is missing; the model's async variant, where the
    /// family table names one, survives a dropped connection.
    /// </summary>
    internal static string TryAgainWithoutPayingTwice(string? model) =>
        "Check your usage; to try again, run the same command with -SkipExisting, which sends only what was not saved"
        + (Models.ModelFamilies.AsyncTwinOf(model) is { } twin
            ? $", or use the model's async variant -Model {twin}, whose task survives a dropped connection and can be picked up again."
            : ".");

    /// <summary>The message's end for an attempt that may have been billed: not sent again, and how to try again.</summary>
    private static string NotSentAgainNote(string? model) => NotSentAgain + " " + TryAgainWithoutPayingTwice(model);

    /// <summary>
    /// A CDN or gateway timed out waiting for a request that had been sent whole (HTTP 524, or a 502/504 timeout page):
    /// never sent again, as the service may have made and billed the image.
    /// </summary>
    private TuZiImagesException GatewayTimeout(int status, string? page, string? requestId, int attempts, string model)
    {
        string message = $"A gateway in front of the service gave up waiting (HTTP {status}{(requestId is null ? "" : ", request id " + requestId)}) after the request was sent. "
            + NotSentAgainNote(model);
        return new TuZiImagesException(TuZiErrorKind.Timeout, Redact(message))
        {
            StatusCode = status, ServerMessage = page is null ? null : Redact(page), RequestId = requestId, Attempts = attempts, MayHaveBeenBilled = true,
            RecommendedAction = TryAgainWithoutPayingTwice(model),
        };
    }

    /// <summary>The service refused every request with a rate-limit 429 for the whole patience window.</summary>
    public TuZiImagesException RateLimitPatienceSpent(TuZiImagesException? last, int attempts, string? target)
    {
        string message = $"The service limited requests (HTTP 429) and admitted none for {Seconds(_options.RateLimitPatience)}, so this request was given up"
            + (attempts == 0 ? " without being sent." : $" after {attempts} rate-limited attempt(s); none was billed.")
            + (last?.ServerMessage is { Length: > 0 } said ? " The server said: " + said : "");
        return new TuZiImagesException(TuZiErrorKind.RateLimit, Redact(message), last)
        {
            StatusCode = last is null ? null : 429, ServerMessage = last?.ServerMessage, ServerErrorType = last?.ServerErrorType,
            ServerErrorCode = last?.ServerErrorCode, RequestId = last?.RequestId, Attempts = attempts, Target = target,
            RecommendedAction = "Run it again later (with -SkipExisting, only what is missing is sent), send fewer at once with -ThrottleLimit, or wait longer with -RateLimitPatienceSec.",
        };
    }

    /// <param name="mayHaveBeenBilled">The request went out whole to an endpoint that bills.</param>
    /// <param name="hasBody">False for a GET: there was nothing to send, only no answer.</param>
    public TuZiImagesException Timeout(bool mayHaveBeenBilled, int attempt, string? target, string model, Exception inner, bool hasBody = true)
    {
        string message = mayHaveBeenBilled
            ? $"No complete answer within {Seconds(_options.Timeout)} after the request was sent. {NotSentAgainNote(model)}"
            : hasBody ? $"The request could not be sent within {Seconds(_options.Timeout)}." : $"No answer within {Seconds(_options.Timeout)}.";
        return new TuZiImagesException(TuZiErrorKind.Timeout, message, inner)
        {
            Attempts = attempt, MayHaveBeenBilled = mayHaveBeenBilled, Target = target,
            RecommendedAction = "Allow more time per request (-TimeoutSec): 4K images often take two minutes or more."
                + (mayHaveBeenBilled ? " " + TryAgainWithoutPayingTwice(model) : ""),
        };
    }

    /// <param name="mayHaveBeenBilled">The connection broke after the request went out whole to an endpoint that bills.</param>
    public TuZiImagesException Unreachable(Uri endpoint, HttpRequestException e, int attempt, string? target, string model, bool mayHaveBeenBilled) =>
        IsProxyAuthenticationRefusal(e)
        ? new(TuZiErrorKind.Authentication,
            Redact($"The proxy {ProxyName()} asks for credentials (HTTP 407) before it opens the way to {endpoint.GetLeftPart(UriPartial.Authority)}: {e.GetBaseException().Message}"), e)
        {
            StatusCode = 407, Attempts = attempt, Target = target, RecommendedAction = ProxyCredentialAdvice,
        }
        : mayHaveBeenBilled
        ? new(TuZiErrorKind.Network,
            Redact($"The connection to {endpoint.GetLeftPart(UriPartial.Authority)} broke after the request was sent, before any answer ({e.GetBaseException().Message}). {NotSentAgainNote(model)}"), e)
        {
            Attempts = attempt, Target = target, MayHaveBeenBilled = true, RecommendedAction = TryAgainWithoutPayingTwice(model),
        }
        : new(TuZiErrorKind.Network, Redact($"Could not reach {endpoint.GetLeftPart(UriPartial.Authority)}: {e.GetBaseException().Message}"), e)
        {
            Attempts = attempt, Target = target,
            RecommendedAction = "Check the base address and the network (proxy, firewall).",
        };

    /// <summary>
    /// Names only the scheme, host and port of an absolute Location: its user information and path are the
    /// server's text (the key may be in them), and a relative one names no other host.
    /// </summary>
    private TuZiImagesException Redirect(int status, Uri? location, string? requestId, int attempt) =>
        new(TuZiErrorKind.Configuration,
            Redact($"The service answered HTTP {status}, a redirect{(location is { IsAbsoluteUri: true } to ? " to " + to.Scheme + "://" + to.Authority : "")}. Redirects are not followed, so that the key goes to no other host."))
        {
            StatusCode = status, RequestId = requestId, Attempts = attempt,
            RecommendedAction = "Set the base address to the final address of the service.",
        };

    private TuZiImagesException MalformedAnswer(Exception e, int status, string? requestId, int attempt, string? target, string model) =>
        new(TuZiErrorKind.MalformedResponse, Redact(e.Message), e)
        {
            StatusCode = status, RequestId = requestId, Attempts = attempt, MayHaveBeenBilled = true, Target = target,
            RecommendedAction = TryAgainWithoutPayingTwice(model),
        };

    /// <summary>The service answered, so the image was probably made and billed: a second send could bill it twice.</summary>
    private TuZiImagesException BrokenAnswer(Exception e, int status, string? requestId, int attempt, string? target, string model) =>
        new(TuZiErrorKind.Network,
            Redact($"The connection broke while the answer was being read ({e.GetBaseException().Message}). {NotSentAgainNote(model)}"), e)
        {
            StatusCode = status, RequestId = requestId, Attempts = attempt, MayHaveBeenBilled = true, Target = target,
            RecommendedAction = TryAgainWithoutPayingTwice(model),
        };

    /// <summary>
    /// A 2xx answer that could not be read whole: it timed out, was not what it should be, or the connection broke.
    /// When the call made something (an image, a task) the error says it may have been billed and was not sent again;
    /// a list or a poll makes nothing, so its error says only what failed. <paramref name="answer"/> names what was
    /// being read ("the model list").
    /// </summary>
    public TuZiImagesException AnswerUnread(Exception e, bool mayHaveBeenBilled, string answer, int status, string? requestId, int attempt, string? target,
        string model) =>
        (e, mayHaveBeenBilled) switch
        {
            (OperationCanceledException, true) => Timeout(true, attempt, target, model, e),
            (InvalidDataException, true) => MalformedAnswer(e, status, requestId, attempt, target, model),
            (_, true) => BrokenAnswer(e, status, requestId, attempt, target, model),
            (OperationCanceledException, false) => new TuZiImagesException(TuZiErrorKind.Timeout,
                $"{char.ToUpperInvariant(answer[0])}{answer.Substring(1)} did not arrive whole within {Seconds(_options.Timeout)}.", e)
            {
                StatusCode = status, RequestId = requestId, Attempts = attempt, Target = target,
                RecommendedAction = "Try again, or allow more time per request.",
            },
            (InvalidDataException, false) => new TuZiImagesException(TuZiErrorKind.MalformedResponse, Redact(e.Message), e)
            {
                StatusCode = status, RequestId = requestId, Attempts = attempt, Target = target,
            },
            _ => new TuZiImagesException(TuZiErrorKind.Network, Redact($"The connection broke while {answer} was being read ({e.GetBaseException().Message})."), e)
            {
                StatusCode = status, RequestId = requestId, Attempts = attempt, Target = target, RecommendedAction = "Try again.",
            },
        };

    public static TuZiImagesException NotAnImage(int index, string? requestId, int attempts) =>
        new(TuZiErrorKind.MalformedResponse, $"Image {index + 1} of the answer is not a PNG, JPEG, WebP or GIF image (its data has other first bytes).")
        {
            StatusCode = 200, RequestId = requestId, Attempts = attempts, MayHaveBeenBilled = true,
        };

    internal const string ProxyCredentialAdvice =
        "Give the proxy's user name and password with -ProxyCredential, or -ProxyUseDefaultCredentials for your Windows sign-in, together with -Proxy.";

    /// <summary>
    /// A proxy that refused a CONNECT tunnel with 407: .NET says "The proxy tunnel request to proxy '...' failed with
    /// status code '407'", .NET Framework "(407) Proxy Authentication Required". A plain request's 407 is an answer.
    /// </summary>
    internal static bool IsProxyAuthenticationRefusal(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner.Message.IndexOf("407", StringComparison.Ordinal) >= 0 && inner.Message.IndexOf("proxy", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    // Scheme, host and port: a proxy URL from the environment can carry a password.
    private string ProxyName() =>
        (_options.Proxy ?? ProxySettings.Default).ProxyFor(_options.BaseAddress) is { } proxy ? ProxySettings.Describe(proxy) : "on the way";

    internal static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
