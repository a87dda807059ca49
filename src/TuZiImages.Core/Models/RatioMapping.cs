namespace TuZiImages.Core.Models;

/// <summary>What -AspectRatio becomes in the request's size field.</summary>
public enum RatioMapping
{
    /// <summary>16:9 is sent as "16x9", the Gemini models' form (and what an unknown model gets, as always).</summary>
    RatioWithX,
    /// <summary>16:9 is sent as "16:9", the task API's form.</summary>
    RatioWithColon,
    /// <summary>The nearest of the family's pixel sizes (16:9 becomes 1536x1024 for gpt-image-1).</summary>
    NearestPixelSize,
    /// <summary>Pixels made from the ratio within the family's pixel rules (gpt-image-2).</summary>
    ComputedPixels,
    /// <summary>Refused: the model takes no ratios; the message names what it takes.</summary>
    NotAccepted,
}
