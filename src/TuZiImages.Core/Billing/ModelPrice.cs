namespace TuZiImages.Core.Billing;

/// <summary>
/// A model's price as the service publishes it (/api/pricing): per request in US dollars, for one group of keys.
/// </summary>
/// <param name="PerRequestUsd">USD per request (quota_type 1, times the group's ratio); null for a token-priced model.</param>
/// <param name="Group">The group of keys the price is for: "default" unless the model is not offered to it.</param>
internal sealed record ModelPrice(decimal? PerRequestUsd, string Group)
{
    /// <summary>
    /// What a request of <paramref name="images"/> images costs: new-api bills a per-request price once per image
    /// asked for (its "n" ratio). Null for a token-priced model.
    /// </summary>
    public decimal? ForImages(int images) => PerRequestUsd * System.Math.Max(1, images);

    /// <summary>"$0.10, the default group's price", "$0.20 (2 images at $0.10), the default group's price".</summary>
    public string Describe(int images) => PerRequestUsd is not { } each
        ? $"priced by tokens (the {Group} group)"
        : (images > 1 ? $"{Usd.Format(each * images)} ({images} images at {Usd.Format(each)})" : Usd.Format(each)) + $", the {Group} group's price";
}
