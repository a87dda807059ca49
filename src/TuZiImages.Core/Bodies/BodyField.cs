using System.Collections.Generic;
using System.Linq;

namespace TuZiImages.Core.Bodies;

/// <summary>One row of <see cref="BodyFields"/>.</summary>
public sealed class BodyField
{
    internal BodyField(string name, string parameter, BodyEndpoints endpoints, FieldIdentity identity, FieldValue value,
        string? alsoSetBy = null, object? unsetMeans = null)
    {
        Name = name;
        Parameter = parameter;
        Endpoints = endpoints;
        Identity = identity;
        Value = value;
        AlsoSetBy = alsoSetBy;
        UnsetMeans = unsetMeans;
    }

    /// <summary>The name in the body.</summary>
    public string Name { get; }
    /// <summary>The cmdlet parameter that sets it, without the dash.</summary>
    public string Parameter { get; }
    /// <summary>Another parameter that sets it (size: -AspectRatio).</summary>
    public string? AlsoSetBy { get; }
    public BodyEndpoints Endpoints { get; }
    public FieldIdentity Identity { get; }
    public FieldValue Value { get; }
    /// <summary>
    /// What the service takes when the field is not sent: the identity counts it so, and a route that cannot carry
    /// the field does not need to when this is its value (n 1 on the task API).
    /// </summary>
    public object? UnsetMeans { get; }

    /// <summary>The parameters as a conflict error names them.</summary>
    public string ParameterText => "-" + Parameter + (AlsoSetBy is null ? "" : " or -" + AlsoSetBy);

    /// <summary>
    /// The words the completer offers, each saying which families take it (from the family table); any other word is
    /// still sent unless the value is one of a fixed set.
    /// </summary>
    public IReadOnlyList<(string Value, string Tooltip)> Choices =>
        Value.Choices.Select(c => (c.Value, Models.ModelFamilies.LinesTaking(this, c.Value) is { Length: > 0 } lines ? $"{lines}: {c.Tooltip}" : c.Tooltip)).ToList();

    public override string ToString() => Name;
}
