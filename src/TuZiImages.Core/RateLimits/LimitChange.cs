namespace TuZiImages.Core.RateLimits;

/// <summary>A learned limit that changed, and why: what a verbose line prints.</summary>
internal sealed record LimitChange(string Limit, string Reason)
{
    public override string ToString() => $"{Limit}: {Reason}.";
}
