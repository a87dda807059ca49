using System;
using System.Collections.Generic;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Invocation;

/// <summary>What one input record asks for, as the cmdlet bound it; null means "not given".</summary>
public sealed class ImageSettings
{
    public string? Model { get; set; }
    public int? Count { get; set; }
    public string? Size { get; set; }
    public string? AspectRatio { get; set; }
    public string? Quality { get; set; }
    /// <summary>A resolved full path.</summary>
    public string? OutFile { get; set; }
    /// <summary>A resolved full path.</summary>
    public string? OutDirectory { get; set; }
    /// <summary>Replace existing files.</summary>
    public bool Force { get; set; }
    /// <summary>Send nothing for a request whose output is already on disk; write the existing files as its results.</summary>
    public bool SkipExisting { get; set; }
    /// <summary>1-3 streamed previews.</summary>
    public int? PartialImages { get; set; }
    /// <summary>Where each image's record of how it was made goes (-Metadata).</summary>
    public Provenance.MetadataMode Metadata { get; set; } = Provenance.MetadataMode.Embed;
    /// <summary>Further body fields, already plain .NET values (the cmdlet unwraps PowerShell's objects).</summary>
    public IDictionary<string, object?>? AdditionalFields { get; set; }

    /// <summary>
    /// The body fields set from their own parameter (the rows of <see cref="BodyFields"/> whose value is text, a word
    /// or a number), as bound; null or absent means not given. ImageCommand normalises them by their row.
    /// </summary>
    public IDictionary<BodyField, object?> Fields { get; private set; } = new Dictionary<BodyField, object?>();

    public object? this[BodyField field]
    {
        get => Fields.TryGetValue(field, out object? value) ? value : null;
        set => Fields[field] = value;
    }

    /// <summary>
    /// Parameters read from an image's record (New-TuZiImage -Parameters), by parameter name: each sets its row of
    /// <paramref name="endpoint"/>, and AdditionalParameter the further fields, unless the command line already did.
    /// Returns the names this endpoint has no such parameter for.
    /// </summary>
    public IReadOnlyList<string> TakeRecorded(IDictionary<string, object?>? parameters, BodyEndpoints endpoint)
    {
        var left = new List<string>();
        foreach (var parameter in parameters ?? new Dictionary<string, object?>())
        {
            var row = BodyFields.ForParameter(parameter.Key, endpoint);
            if (string.Equals(parameter.Key, "AdditionalParameter", StringComparison.OrdinalIgnoreCase) && parameter.Value is IDictionary<string, object?> fields)
            {
                AdditionalFields ??= fields;
            }
            else if (row is null || !row.Value.FromParameter)
            {
                left.Add(parameter.Key);
            }
            else if (this[row] is null)
            {
                this[row] = parameter.Value;
            }
        }
        return left;
    }

    public ImageSettings Clone()
    {
        var clone = (ImageSettings)MemberwiseClone();
        clone.Fields = new Dictionary<BodyField, object?>(Fields);
        return clone;
    }
}
