namespace TuZiImages.Core.Provenance;

/// <summary>Where the record of how an image was made goes (-Metadata).</summary>
public enum MetadataMode
{
    /// <summary>Into the image itself (PNG text and XMP, JPEG and WebP XMP); a sidecar where that would change signed or unsupported bytes.</summary>
    Embed,
    /// <summary>Into an XMP sidecar beside the image (fox.xmp for fox.png); the image is saved as served.</summary>
    Sidecar,
    /// <summary>Nowhere: the image is saved exactly as the service sent it.</summary>
    None,
}
