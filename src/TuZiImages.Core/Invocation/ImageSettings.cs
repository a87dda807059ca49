using System.Collections.Generic;

namespace TuZiImages.Core.Invocation;

/// <summary>What one input record asks for, as the cmdlet bound it; null means "not given".</summary>
public sealed class ImageSettings
{
    public string? Model { get; set; }
    public int? Count { get; set; }
    public string? Size { get; set; }
    public string? AspectRatio { get; set; }
    public string? Quality { get; set; }
    public string? ResponseFormat { get; set; }
    public string? Style { get; set; }
    public string? User { get; set; }
    /// <summary>A resolved full path.</summary>
    public string? OutFile { get; set; }
    /// <summary>A resolved full path.</summary>
    public string? OutDirectory { get; set; }
    /// <summary>Replace existing files.</summary>
    public bool Force { get; set; }
    /// <summary>Send nothing for a request whose output is already on disk; write the existing files as its results.</summary>
    public bool SkipExisting { get; set; }
    public string? Background { get; set; }
    public string? OutputFormat { get; set; }
    public int? OutputCompression { get; set; }
    /// <summary>Generations only.</summary>
    public string? Moderation { get; set; }
    /// <summary>Edits only.</summary>
    public string? InputFidelity { get; set; }
    /// <summary>1-3 streamed previews.</summary>
    public int? PartialImages { get; set; }
    /// <summary>Further body fields, already plain .NET values (the cmdlet unwraps PowerShell's objects).</summary>
    public IDictionary<string, object?>? AdditionalFields { get; set; }

    public ImageSettings Clone() => (ImageSettings)MemberwiseClone();
}
