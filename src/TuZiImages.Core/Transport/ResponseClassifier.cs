using System;
using System.Linq;
using TuZiImages.Core.Retry;

namespace TuZiImages.Core.Transport;

/// <summary>
/// What an answer means, for API calls, task polls and downloads alike: one pure function of what came back.
/// Which error a failure becomes is <see cref="Errors.FailureMapper"/>'s; whether and when to try again,
/// <see cref="Retry.RetryRules"/>'s, from the outcome decided here.
/// </summary>
internal static class ResponseClassifier
{
    private static readonly string[] QuotaWords = { "insufficient_quota", "quota", "balance", "billing" };

    public static bool IsSuccessStatus(int status) => status is >= 200 and <= 299;

    /// <summary>Statuses that say "not now" rather than "never": a new attempt may succeed.</summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    public static ResponseOutcome Classify(ResponseFacts answer)
    {
        int status = answer.Status;
        var body = answer.Body;
        if (IsSuccessStatus(status))
        {
            return new ResponseOutcome(ResponseVerdict.Success);
        }
        // A 524 comes after the body went through, whatever was seen of it; a timeout page only once it was sent whole.
        if (answer.Billable && IsGatewayTimeout(answer) && (status == 524 || answer.BodySentWhole))
        {
            return new ResponseOutcome(ResponseVerdict.GatewayTimeout, MayHaveBeenBilled: true);
        }
        if (status is >= 300 and <= 399)
        {
            return new ResponseOutcome(ResponseVerdict.Redirect);
        }
        if (status == 407)
        {
            return new ResponseOutcome(ResponseVerdict.ProxyAuthentication);
        }
        // new-api answers this with 503 (and channels remap statuses): retrying it would fail alike every time.
        if (status != 401 && IsModelOutsideGroup(body.Message, body.Code))
        {
            return new ResponseOutcome(ResponseVerdict.NotPermitted);
        }
        bool quota = IsSpentQuota(body.Type, body.Code);
        if (status == 429)
        {
            return quota ? new ResponseOutcome(ResponseVerdict.QuotaSpent) : new ResponseOutcome(ResponseVerdict.RateLimited, ServerDelay: answer.ServerDelay);
        }
        if (status is 402 or 403)
        {
            return new ResponseOutcome(quota ? ResponseVerdict.QuotaSpent : ResponseVerdict.NotPermitted);
        }
        if (IsRetryableStatus(status))
        {
            // A 504 can come after the image was made: sending the request again can bill it twice.
            bool billed = status == 504 && answer.Billable && answer.BodySentWhole;
            return new ResponseOutcome(ResponseVerdict.Retryable, billed, answer.ServerDelay);
        }
        return new ResponseOutcome(ResponseVerdict.Final);
    }

    /// <summary>
    /// An attempt that got no complete answer: no answer in time, a connection that failed or broke, or a 2xx answer
    /// cut off or unreadable while being read. If the request went out whole to an endpoint that bills, the service may
    /// have made (and billed) the work, whatever ended the attempt; what failed before that is safe to send again.
    /// </summary>
    public static AttemptOutcome NoCompleteAnswer(AttemptEnd end, bool billable, bool bodySentWhole) =>
        new(end, retryable: end != AttemptEnd.Failed, mayHaveBeenBilled: billable && bodySentWhole);

    /// <summary>"No channel for model X in group Y": the wrong group for the model, the commonest support question.</summary>
    public static bool IsModelOutsideGroup(string? message, string? code) =>
        string.Equals(code, "model_not_found", StringComparison.OrdinalIgnoreCase)
        || (message is not null && (message.IndexOf("分组", StringComparison.Ordinal) >= 0 || message.IndexOf("无可用渠道", StringComparison.Ordinal) >= 0
            || (message.IndexOf("group", StringComparison.OrdinalIgnoreCase) >= 0 && message.IndexOf("channel", StringComparison.OrdinalIgnoreCase) >= 0)));

    /// <summary>A spent quota or balance, as the error's type or code says it (new-api's insufficient_user_quota too).</summary>
    public static bool IsSpentQuota(string? type, string? code) =>
        QuotaWords.Any(w => Mentions(type, w) || Mentions(code, w));

    /// <summary>
    /// A CDN or gateway gave up waiting for the service: Cloudflare's 524, or a 502/504 page (HTML, by its content type
    /// or its look) that says it timed out.
    /// </summary>
    private static bool IsGatewayTimeout(ResponseFacts answer) =>
        answer.Status == 524 || (answer.Status is 502 or 504 && IsPage(answer) && answer.Body.Message is { } text
            && (Mentions(text, "timeout") || Mentions(text, "time-out") || Mentions(text, "timed out")));

    private static bool IsPage(ResponseFacts answer) =>
        answer.Body.IsHtmlPage || string.Equals(answer.ContentType, "text/html", StringComparison.OrdinalIgnoreCase);

    private static bool Mentions(string? text, string word) => text is not null && text.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0;
}
