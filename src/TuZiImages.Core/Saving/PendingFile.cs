using System.IO;
using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Saving;

/// <summary>A file being written: a hidden temporary name in the target folder until it is committed.</summary>
internal sealed class PendingFile
{
    public PendingFile(string tempPath, FileStream stream)
    {
        TempPath = tempPath;
        Stream = stream;
    }

    public string TempPath { get; private set; }
    public FileStream Stream { get; }
    public long Length { get; set; }
    public ImageFormat? Format { get; set; }
    public string? FinalPath { get; set; }

    /// <summary>The image carries Content Credentials (C2PA), so it was saved byte for byte as served; null when not looked at (no record was written).</summary>
    public bool? HasContentCredentials { get; set; }
    /// <summary>Why the image's record could not be written: the image is saved as served and the user is warned.</summary>
    public string? RecordWarning { get; set; }
    /// <summary>Where the record went when not into the image (a sidecar), for the verbose stream.</summary>
    public string? RecordNote { get; set; }

    /// <summary>
    /// Takes over <paramref name="other"/>'s finished file (the image rewritten with its record) and gives it this
    /// one's, so the session still deletes whichever temporary file is not committed.
    /// </summary>
    public void TakeContents(PendingFile other)
    {
        (TempPath, other.TempPath) = (other.TempPath, TempPath);
        (Length, other.Length) = (other.Length, Length);
    }
}
