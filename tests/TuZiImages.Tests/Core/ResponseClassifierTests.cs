using System;
using System.Text;
using TuZiImages.Core;
using TuZiImages.Core.Errors;
using TuZiImages.Core.Retry;
using TuZiImages.Core.Transport;

namespace TuZiImages.Tests.Core;

/// <summary>
/// What an answer means, for every case the service's spec names: a pure function of the status, the error body as
/// <see cref="ErrorBody"/> reads it, the content type, the named wait, and whether the call bills and went out whole.
/// </summary>
public class ResponseClassifierTests
{
    private const string Post = "post"; // billable, body sent whole
    private const string PostCut = "post-cut"; // billable, body not (yet) sent whole
    private const string Get = "get"; // the model list, a task poll, a download

    private static string NewApi(string message, string code = "") =>
        $"{{\"error\":{{\"message\":\"{message} (request id: 20250101000000123456789abcdef)\",\"type\":\"new_api_error\",\"code\":\"{code}\"}}}}";

    private const string CloudflareTimeout =
        "<!DOCTYPE html><html><head><title>api.tu-zi.com | 524: A timeout occurred</title></head><body><h1>A timeout occurred</h1><p>Error code 524</p></body></html>";
    private const string NginxTimeout =
        "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>";
    private const string NginxBadGateway =
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

    public static TheoryData<string, int, string, string?, double?, string, string, bool> Cases => new()
    {
        // case, status, body, content type, Retry-After (s), call, verdict, may have been billed
        { "200 images", 200, "{\"data\":[]}", "application/json", null, Post, nameof(ResponseVerdict.Success), false },
        { "204", 204, "", null, null, Get, nameof(ResponseVerdict.Success), false },
        { "429 named wait", 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}", "application/json", 20, Post, nameof(ResponseVerdict.RateLimited), false },
        { "429 no wait", 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}", "application/json", null, Post, nameof(ResponseVerdict.RateLimited), false },
        { "429 new-api successes per window", 429, NewApi("您已达到请求数限制：1分钟内最多请求60次"), "application/json", null, Post, nameof(ResponseVerdict.RateLimited), false },
        { "429 new-api all requests per window", 429, NewApi("您已达到总请求数限制：1分钟内最多请求60次，包括失败次数，请检查您的请求是否正确"), "application/json", null, Post, nameof(ResponseVerdict.RateLimited), false },
        { "429 new-api concurrency", 429, NewApi("You have reached the concurrent request limit: at most 4 in-flight requests"), "application/json", null, Get, nameof(ResponseVerdict.RateLimited), false },
        { "429 empty (a download's)", 429, "", null, null, Get, nameof(ResponseVerdict.RateLimited), false },
        { "429 insufficient_quota", 429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}", "application/json", 5, Post, nameof(ResponseVerdict.QuotaSpent), false },
        { "429 model outside the group", 429, NewApi("当前分组 default 下对于模型 gpt-image-2 无可用渠道"), "application/json", null, Post, nameof(ResponseVerdict.NotPermitted), false },
        { "401", 401, "{\"error\":{\"message\":\"Invalid token\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}", "application/json", null, Post, nameof(ResponseVerdict.Final), false },
        { "401 model_not_found", 401, "{\"error\":{\"message\":\"Invalid token\",\"code\":\"model_not_found\"}}", "application/json", null, Get, nameof(ResponseVerdict.Final), false },
        { "402", 402, "{\"error\":{\"message\":\"Payment required\"}}", "application/json", null, Post, nameof(ResponseVerdict.NotPermitted), false },
        { "403", 403, "{\"error\":{\"message\":\"forbidden\"}}", "application/json", null, Post, nameof(ResponseVerdict.NotPermitted), false },
        { "403 insufficient_user_quota", 403, NewApi("用户额度不足，剩余额度：＄0.000000", "insufficient_user_quota"), "application/json", null, Post, nameof(ResponseVerdict.QuotaSpent), false },
        { "404", 404, "{\"error\":{\"message\":\"Invalid URL (POST /v1/images/generation)\",\"type\":\"invalid_request_error\"}}", "application/json", null, Post, nameof(ResponseVerdict.Final), false },
        { "400 prompt_blocked", 400, NewApi("prompt blocked by the content filter", "prompt_blocked"), "application/json", null, Post, nameof(ResponseVerdict.Final), false },
        { "413", 413, "", "text/plain", null, Post, nameof(ResponseVerdict.Final), false },
        { "408", 408, "", null, null, Post, nameof(ResponseVerdict.Retryable), false },
        { "500", 500, "{\"error\":{\"message\":\"internal error\"}}", "application/json", null, Post, nameof(ResponseVerdict.Retryable), false },
        { "500 empty_response", 500, NewApi("empty response from the upstream", "empty_response"), "application/json", null, Post, nameof(ResponseVerdict.Retryable), false },
        { "502 page", 502, NginxBadGateway, "text/html", null, Post, nameof(ResponseVerdict.Retryable), false },
        { "503 named wait", 503, "{\"error\":{\"message\":\"overloaded\"}}", "application/json", 3, Post, nameof(ResponseVerdict.Retryable), false },
        { "503 model outside the group", 503, NewApi("No available channel for model gemini-3-pro-image-preview-4k under group default"), "application/json", null, Post, nameof(ResponseVerdict.NotPermitted), false },
        { "504 JSON after the body", 504, "{\"error\":{\"message\":\"upstream error\"}}", "application/json", null, Post, nameof(ResponseVerdict.Retryable), true },
        { "504 JSON before the body was whole", 504, "{\"error\":{\"message\":\"upstream error\"}}", "application/json", null, PostCut, nameof(ResponseVerdict.Retryable), false },
        { "504 JSON to a GET", 504, "{\"error\":{\"message\":\"upstream error\"}}", "application/json", null, Get, nameof(ResponseVerdict.Retryable), false },
        { "504 timeout page after the body", 504, NginxTimeout, "text/html", null, Post, nameof(ResponseVerdict.GatewayTimeout), true },
        { "504 timeout page before the body was whole", 504, NginxTimeout, "text/html", null, PostCut, nameof(ResponseVerdict.Retryable), false },
        { "504 timeout page to a GET", 504, NginxTimeout, "text/html", null, Get, nameof(ResponseVerdict.Retryable), false },
        { "502 timeout page after the body", 502, "<html><body><h1>502</h1>upstream timed out</body></html>", "text/html", null, Post, nameof(ResponseVerdict.GatewayTimeout), true },
        { "502 timeout text labelled HTML", 502, "upstream request timeout", "text/html", null, Post, nameof(ResponseVerdict.GatewayTimeout), true },
        { "502 timeout text not a page", 502, "upstream request timeout", "text/plain", null, Post, nameof(ResponseVerdict.Retryable), false },
        { "524 after the body", 524, CloudflareTimeout, "text/html", null, Post, nameof(ResponseVerdict.GatewayTimeout), true },
        { "524 before the body was whole", 524, CloudflareTimeout, "text/html", null, PostCut, nameof(ResponseVerdict.GatewayTimeout), true },
        { "524 to a GET", 524, CloudflareTimeout, "text/html", null, Get, nameof(ResponseVerdict.Final), false },
        { "301", 301, "", null, null, Post, nameof(ResponseVerdict.Redirect), false },
        { "307 with a model message", 307, NewApi("无可用渠道"), "application/json", null, Get, nameof(ResponseVerdict.Redirect), false },
        { "407", 407, "<html><body>Proxy Authentication Required</body></html>", "text/html", null, Post, nameof(ResponseVerdict.ProxyAuthentication), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_answer_the_spec_names_has_its_outcome(string name, int status, string body, string? contentType, double? retryAfter,
        string call, string verdict, bool billed)
    {
        var outcome = ResponseClassifier.Classify(Facts(status, body, contentType, retryAfter, call));

        Assert.True(verdict == outcome.Verdict.ToString(), $"{name}: {outcome.Verdict}, not {verdict}");
        Assert.True(billed == outcome.MayHaveBeenBilled, $"{name}: may have been billed {outcome.MayHaveBeenBilled}");
    }

    [Theory]
    [InlineData(429, 20.0, nameof(ResponseVerdict.RateLimited))]
    [InlineData(429, null, nameof(ResponseVerdict.RateLimited))]
    [InlineData(503, 3.0, nameof(ResponseVerdict.Retryable))]
    public void A_named_wait_is_carried_and_none_is_invented(int status, double? retryAfter, string verdict)
    {
        var outcome = ResponseClassifier.Classify(Facts(status, "{\"error\":{\"message\":\"wait\"}}", "application/json", retryAfter, Post));

        Assert.Equal(verdict, outcome.Verdict.ToString());
        Assert.Equal(retryAfter is { } s ? TimeSpan.FromSeconds(s) : null, outcome.ServerDelay);
    }

    [Theory]
    [InlineData(nameof(ResponseVerdict.Success), true, nameof(AttemptEnd.Success), false)]
    [InlineData(nameof(ResponseVerdict.RateLimited), true, nameof(AttemptEnd.RateLimited), false)]
    [InlineData(nameof(ResponseVerdict.RateLimited), false, nameof(AttemptEnd.Failed), true)] // a download passes no gate: a 429 is a "not now"
    [InlineData(nameof(ResponseVerdict.Retryable), true, nameof(AttemptEnd.Failed), true)]
    [InlineData(nameof(ResponseVerdict.GatewayTimeout), true, nameof(AttemptEnd.Failed), false)]
    [InlineData(nameof(ResponseVerdict.QuotaSpent), true, nameof(AttemptEnd.Failed), false)]
    [InlineData(nameof(ResponseVerdict.NotPermitted), true, nameof(AttemptEnd.Failed), false)]
    [InlineData(nameof(ResponseVerdict.Redirect), true, nameof(AttemptEnd.Failed), false)]
    [InlineData(nameof(ResponseVerdict.ProxyAuthentication), false, nameof(AttemptEnd.Failed), false)]
    [InlineData(nameof(ResponseVerdict.Final), true, nameof(AttemptEnd.Failed), false)]
    public void The_retry_decision_gets_the_outcome_with_its_billing_mark(string verdictName, bool behindGate, string end, bool retryable)
    {
        var verdict = Enum.Parse<ResponseVerdict>(verdictName);
        var attempt = new ResponseOutcome(verdict, MayHaveBeenBilled: verdict == ResponseVerdict.GatewayTimeout, TimeSpan.FromSeconds(2)).ForAttempt(behindGate);

        Assert.Equal(end, attempt.End.ToString());
        Assert.Equal(retryable, attempt.Retryable);
        Assert.Equal(verdict == ResponseVerdict.GatewayTimeout, attempt.MayHaveBeenBilled);
    }

    [Theory]
    [InlineData(Post, true)]
    [InlineData(PostCut, false)]
    [InlineData(Get, false)]
    public void The_error_of_a_504_says_it_may_have_been_billed_only_when_the_outcome_does(string call, bool billed)
    {
        var answer = Facts(504, "{\"error\":{\"message\":\"upstream error\"}}", "application/json", null, call);
        var failures = new FailureMapper(new TuZiClientOptions { ApiKey = "sk-test" });

        var error = failures.FromAnswer(ResponseClassifier.Classify(answer), answer, location: null, requestId: null, attempts: 1, model: "gpt-image-1");

        Assert.Equal(TuZiErrorKind.Server, error.Kind);
        Assert.Equal(billed, error.MayHaveBeenBilled);
    }

    private static ResponseFacts Facts(int status, string body, string? contentType, double? retryAfter, string call) => new()
    {
        Status = status,
        Body = ErrorBody.Parse(Encoding.UTF8.GetBytes(body)),
        ContentType = contentType,
        ServerDelay = retryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        Billable = call != Get,
        BodySentWhole = call == Post,
    };
}
