using TuZiImages.Core.Responses;

namespace TuZiImages.Core.Results;

/// <summary>What came back from the API for one request, after however many attempts it took.</summary>
internal sealed class SentRequest
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
