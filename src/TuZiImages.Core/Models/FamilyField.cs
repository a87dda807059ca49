using System;
using System.Collections.Generic;
using System.Linq;

namespace TuZiImages.Core.Models;

/// <summary>A body field a family takes: the row of Bodies.BodyFields by name, the name it goes under, and the values it takes.</summary>
public sealed class FamilyField
{
    public FamilyField(string field, string? sentAs = null, params string[] values)
    {
        Field = field;
        SentAs = sentAs ?? field;
        Values = values ?? Array.Empty<string>();
    }

    /// <summary>The row's name in Bodies.BodyFields.</summary>
    public string Field { get; }
    /// <summary>The name it is sent under (FLUX sends the size row as aspect_ratio).</summary>
    public string SentAs { get; }
    /// <summary>When not empty, the only values a known version takes; others are refused.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>True unless the field lists its values and this word is not one of them (anything but a word is taken).</summary>
    public bool Takes(object? value) => Values.Count == 0 || value is not string word || Values.Contains(word);

    public override string ToString() => SentAs == Field ? Field : $"{Field} as {SentAs}";
}
