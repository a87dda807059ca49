using System.Collections.Generic;

namespace TuZiImages.Core.Models;

/// <summary>Limits on free pixel sizes (gpt-image-2's), checked before sending.</summary>
public sealed class PixelRules
{
    public int Multiple { get; init; } = 1;
    public int MaxEdge { get; init; } = int.MaxValue;
    public long MinPixels { get; init; }
    public long MaxPixels { get; init; } = long.MaxValue;
    /// <summary>The widest long:short ratio (3 for 3:1).</summary>
    public double MaxRatio { get; init; } = double.MaxValue;
    /// <summary>The long edge of pixels made from a ratio, by -Quality word (null: no word given).</summary>
    public IReadOnlyDictionary<string, int> LongEdgeByQuality { get; init; } = new Dictionary<string, int>();
    public int DefaultLongEdge { get; init; } = 1024;
}
