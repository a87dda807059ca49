using System;
using System.Collections.Generic;

namespace TuZiImages.Core.Billing;

/// <summary>The prices the service publishes, by model name (exactly as the service spells it).</summary>
internal sealed class PriceList
{
    private readonly IReadOnlyDictionary<string, ModelPrice> _prices;

    public PriceList(IReadOnlyDictionary<string, ModelPrice> prices) => _prices = prices;

    /// <summary>No prices: the service publishes none, or they could not be read.</summary>
    public static PriceList Empty { get; } = new(new Dictionary<string, ModelPrice>());

    /// <summary>How many models have a price per request.</summary>
    public int PerRequestCount
    {
        get
        {
            int count = 0;
            foreach (var price in _prices.Values)
            {
                count += price.PerRequestUsd is null ? 0 : 1;
            }
            return count;
        }
    }

    /// <summary>The model's published price; null when the list does not name it.</summary>
    public ModelPrice? Find(string model) => _prices.TryGetValue(model, out var price) ? price : null;

    /// <summary>The model as listed, with its price per request where one is published (token-priced models have none).</summary>
    public TuZiModel Price(TuZiModel model) => Find(model.Id) is { PerRequestUsd: { } usd } price
        ? model.WithPrice(usd, price.Group)
        : model;

    /// <summary>The default group: what /api/pricing's prices are for unless a model is not offered to it.</summary>
    internal const string DefaultGroup = "default";

    internal static bool IsDefault(string group) => string.Equals(group, DefaultGroup, StringComparison.Ordinal);
}
