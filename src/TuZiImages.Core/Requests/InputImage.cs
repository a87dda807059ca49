using System;
using System.IO;
using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Requests;

/// <summary>A local image file checked before anything is sent: it exists, is a file, and is a supported image.</summary>
public sealed class InputImage
{
    private InputImage(string fullPath, ImageFormat format, long length)
    {
        FullPath = fullPath;
        Format = format;
        Length = length;
    }

    public string FullPath { get; }
    public string FileName => Path.GetFileName(FullPath);
    public ImageFormat Format { get; }
    public long Length { get; }

    /// <summary>Checks the file; throws an InvalidInput error that names it when it cannot be sent.</summary>
    public static InputImage FromFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw TuZiImagesException.InvalidInput("An image path is empty.", path);
        }
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw TuZiImagesException.InvalidInput($"'{path}' is not a valid file path: {e.Message}", path);
        }
        if (Directory.Exists(fullPath))
        {
            throw TuZiImagesException.InvalidInput($"'{fullPath}' is a directory, not an image file.", fullPath,
                "Give image files, for example Get-ChildItem -File *.png.");
        }
        if (!File.Exists(fullPath))
        {
            throw TuZiImagesException.InvalidInput($"The image file '{fullPath}' does not exist.", fullPath);
        }
        ImageFormat? format;
        long length;
        try
        {
            length = new FileInfo(fullPath).Length;
            format = ImageFormat.SniffFile(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TuZiImagesException.InvalidInput($"The image file '{fullPath}' cannot be read: {e.Message}", fullPath);
        }
        if (format is null)
        {
            throw TuZiImagesException.InvalidInput(
                $"'{fullPath}' is not a PNG, JPEG, WebP or GIF image (its first bytes say otherwise).", fullPath,
                "Convert it to PNG or JPEG first.");
        }
        return new InputImage(fullPath, format, length);
    }

    private string? _sha256;

    /// <summary>
    /// The SHA-256 of the file's bytes in lower-case hex, read once: the request identity and the image's record both
    /// name the file by it. Throws an InvalidInput error naming the file when it cannot be read.
    /// </summary>
    internal string Sha256
    {
        get
        {
            if (_sha256 is null)
            {
                try
                {
                    using var sha = System.Security.Cryptography.SHA256.Create();
                    using var stream = new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
                    _sha256 = Hex.Lower(sha.ComputeHash(stream));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw TuZiImagesException.InvalidInput($"The image file '{FullPath}' cannot be read: {e.Message}", FullPath);
                }
            }
            return _sha256;
        }
    }

    /// <summary>A fresh read stream for each attempt, so a retry sends the whole file again.</summary>
    internal FileStream OpenRead() =>
        new(FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public override string ToString() => FullPath;
}
