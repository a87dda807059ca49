using System.Collections.Generic;

namespace TuZiImages.Core;

/// <summary>The tokens a gpt-image request used, as the service counts them for billing.</summary>
public sealed class TuZiImageUsage
{
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public long? TotalTokens { get; set; }
    /// <summary>The input split by kind (text_tokens, image_tokens), when the service gives it.</summary>
    public IReadOnlyDictionary<string, long>? InputTokensDetails { get; set; }
    public IReadOnlyDictionary<string, long>? OutputTokensDetails { get; set; }

    public override string ToString() =>
        $"{TotalTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} tokens (in {InputTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, out {OutputTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})";
}
