namespace TuZiImages.Core.Models;

/// <summary>Whether -Quality means something to a family.</summary>
public enum QualityUse
{
    /// <summary>Any word is sent as given: the model is not known here.</summary>
    AnyWord,
    /// <summary>Only the family's words; another is refused before anything is sent.</summary>
    Listed,
    /// <summary>The model takes none (its resolution is in its name, or it has no such setting); -Quality is refused.</summary>
    NotTaken,
}
