using System;
using System.Collections;
using System.Collections.Generic;
using TuZiImages.Core.Provenance;

namespace TuZiImages.Core;

/// <summary>
/// What an image says of how it was made (Get-TuZiImageInfo): the module's record, or what another tool wrote, or
/// nothing. The properties are named like New-TuZiImage's parameters, so piping these objects into it makes the same
/// requests again; there is deliberately no FullName, which New-TuZiImage would take as a reference image.
/// </summary>
public sealed class TuZiImageInfo
{
    /// <summary>The image's file name.</summary>
    public string Name { get; init; } = "";
    /// <summary>The image's full path.</summary>
    public string ImagePath { get; init; } = "";
    /// <summary>
    /// Where the record was found: Embedded (this module's, in the image), Sidecar (this module's, in name.xmp),
    /// Parameters (another tool's "parameters" text), Xmp (another tool's XMP description), or None.
    /// </summary>
    public string RecordSource { get; init; } = RecordSources.None;
    /// <summary>The file the record was read from: the image or its sidecar; null when there is none.</summary>
    public string? RecordPath { get; init; }
    public bool HasRecord => RecordSource != RecordSources.None;
    public string? Prompt { get; init; }
    public string? RevisedPrompt { get; init; }
    public string? Model { get; init; }
    /// <summary>-Size as given (or the size sent, for other tools' records).</summary>
    public string? Size { get; init; }
    /// <summary>-AspectRatio as given.</summary>
    public string? AspectRatio { get; init; }
    /// <summary>-Quality as given.</summary>
    public string? Quality { get; init; }
    /// <summary>
    /// The other parameters that decided the image, by parameter name (Background, OutputFormat, Seed...,
    /// AdditionalParameter): New-TuZiImage takes them all by this property's name (-Parameters). Get-TuZiImageInfo
    /// also shows each as a property of its own.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();
    /// <summary>The fields sent with -AdditionalParameter, with their types; null when there were none.</summary>
    public IDictionary? AdditionalParameter { get; init; }
    /// <summary>Every body field that decided the image, by its name on the wire, as sent.</summary>
    public IReadOnlyDictionary<string, object?> Fields { get; init; } = new Dictionary<string, object?>();
    /// <summary>The images sent with the request, by file name and SHA-256 (not re-sent by piping into New-TuZiImage).</summary>
    public IReadOnlyList<RecordedInput> InputImages { get; init; } = Array.Empty<RecordedInput>();
    public string? Operation { get; init; }
    public DateTimeOffset? Created { get; init; }
    public string? RequestId { get; init; }
    public string? TaskId { get; init; }
    /// <summary>The service's host.</summary>
    public string? Service { get; init; }
    /// <summary>The tool that wrote the record: TuZiImages and its version.</summary>
    public string? CreatorTool { get; init; }
    /// <summary>True when the image carries Content Credentials (C2PA); its record is then in the sidecar.</summary>
    public bool HasContentCredentials { get; init; }

    public override string ToString() => ImagePath;
}
