using System;
using System.Collections.Generic;

namespace TuZiImages.Core.Bodies;

/// <summary>One row of <see cref="BodyFields"/>.</summary>
public sealed class BodyField
{
    private readonly Func<object, string?>? _describe;

    internal BodyField(string name, string parameter, BodyEndpoints endpoints, FieldIdentity identity, FieldValue value,
        string? alsoSetBy = null, object? unsetMeans = null, Func<object, string?>? describe = null)
    {
        Name = name;
        Parameter = parameter;
        Endpoints = endpoints;
        Identity = identity;
        Value = value;
        AlsoSetBy = alsoSetBy;
        UnsetMeans = unsetMeans;
        _describe = describe;
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
    /// <summary>What the service takes when the field is not sent; the identity and -WhatIf count it so.</summary>
    public object? UnsetMeans { get; }

    /// <summary>The parameters as a conflict error names them.</summary>
    public string ParameterText => "-" + Parameter + (AlsoSetBy is null ? "" : " or -" + AlsoSetBy);

    /// <summary>The words the completer offers; any other word is still sent unless the value is one of a fixed set.</summary>
    public IReadOnlyList<(string Value, string Tooltip)> Choices => Value.Choices;

    /// <summary>The field in the -WhatIf and verbose text, or null to leave it out there.</summary>
    internal string? Describe(object value) => _describe is not null ? _describe(value) : $"{Name} {BodyFields.Text(value)}";

    public override string ToString() => Name;
}
