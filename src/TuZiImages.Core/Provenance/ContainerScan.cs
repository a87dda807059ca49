using System.Collections.Generic;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// What a walk over an image's chunks or segments found, without reading its image data: whether it can be
/// rewritten, its Content Credentials, the metadata it already has, and where the record goes.
/// </summary>
internal class ContainerScan
{
    /// <summary>Why the file is not rewritten (truncated, data after its end...), or null when it can be.</summary>
    public string? Problem { get; set; }
    /// <summary>True when the structure itself is broken (not merely unusual): readers say the file is damaged.</summary>
    public bool Damaged { get; set; }
    /// <summary>C2PA: a PNG caBX chunk, JPEG APP11 JUMBF labelled c2pa, or a WebP C2PA chunk.</summary>
    public bool HasContentCredentials { get; set; }
    /// <summary>The XMP packet the file already carries.</summary>
    public string? Xmp { get; set; }
    /// <summary>A PNG "parameters" text, as the Stable Diffusion web UIs write it.</summary>
    public string? Parameters { get; set; }
    /// <summary>Where the new metadata goes: the byte offset it is inserted at.</summary>
    public long InsertAt { get; set; }
    /// <summary>Chunks or segments the rewrite leaves out (the old XMP, the old parameters text), by offset and length.</summary>
    public List<(long Offset, long Length)> Replaced { get; } = new();

    public void Fail(string problem, bool damaged = true)
    {
        Problem ??= problem;
        Damaged |= damaged;
    }
}
