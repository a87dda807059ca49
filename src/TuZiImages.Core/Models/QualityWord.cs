namespace TuZiImages.Core.Models;

/// <summary>A -Quality word a family takes, what it means, and what is sent for it when that differs.</summary>
public sealed class QualityWord
{
    public QualityWord(string word, string description, string? sentAs = null)
    {
        Word = word;
        Description = description;
        SentAs = sentAs;
    }

    public string Word { get; }
    public string Description { get; }
    /// <summary>The quality field sent for the word; null: the word itself.</summary>
    public string? SentAs { get; }
}
