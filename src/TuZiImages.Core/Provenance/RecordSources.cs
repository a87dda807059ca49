namespace TuZiImages.Core.Provenance;

/// <summary>The words <see cref="TuZiImageInfo.RecordSource"/> takes.</summary>
public static class RecordSources
{
    public const string Embedded = "Embedded";
    public const string Sidecar = "Sidecar";
    public const string Parameters = "Parameters";
    public const string Xmp = "Xmp";
    public const string None = "None";
}
