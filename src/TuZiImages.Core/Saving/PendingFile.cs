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

    public string TempPath { get; }
    public FileStream Stream { get; }
    public long Length { get; set; }
    public ImageFormat? Format { get; set; }
    public string? FinalPath { get; set; }
}
