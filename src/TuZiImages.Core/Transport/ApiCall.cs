using System.Net.Http;
using System;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Transport;

/// <summary>One call to the API as the attempt loop needs it: what to send, and what to name in logs and errors.</summary>
internal sealed class ApiCall
{
    public ApiCall(HttpMethod method, Uri endpoint, string description, string? target, string model, Func<SentTrackingContent>? content)
    {
        Method = method;
        Endpoint = endpoint;
        Description = description;
        Target = target;
        Model = model;
        Content = content;
    }

    public HttpMethod Method { get; }
    public Uri Endpoint { get; }
    /// <summary>A one-line account for verbose output; never the key.</summary>
    public string Description { get; }
    /// <summary>What errors name as their target (a prompt, an address).</summary>
    public string? Target { get; }
    /// <summary>The model, for advice in permission errors; empty when the call is about no model.</summary>
    public string Model { get; }
    /// <summary>A new body for each attempt; null for a GET.</summary>
    public Func<SentTrackingContent>? Content { get; }
    /// <summary>A POST makes an image or a task, which the service bills; a GET (the model list, a poll) makes nothing.</summary>
    public bool Billable => Content is not null;
    /// <summary>The answer may be a server-sent event stream (streamed previews).</summary>
    public bool AcceptsEventStream { get; init; }
    /// <summary>
    /// False for a public endpoint of the service that needs no key (the price list): the key is sent nowhere it is
    /// not needed, even on the API's own host.
    /// </summary>
    public bool SendsKey { get; init; } = true;
    /// <summary>What a 2xx answer holds, for the verbose line that says it is being read.</summary>
    public string AnswerName { get; init; } = "the images";
    /// <summary>The caller tries again itself (a task's poll loop): the send loop does not retry it, so a failure is retried once, not twice.</summary>
    public bool RetriedByCaller { get; init; }
}
