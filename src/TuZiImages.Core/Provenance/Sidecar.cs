using System.IO;

namespace TuZiImages.Core.Provenance;

/// <summary>The XMP sidecar of an image: fox.xmp beside fox.png, as Adobe's tools name it.</summary>
internal static class Sidecar
{
    public const string Extension = ".xmp";

    public static string PathFor(string imagePath) => Path.ChangeExtension(imagePath, Extension);
}
