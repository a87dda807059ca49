using System.Collections.Generic;
using System.IO;
using System.Linq;
using System;
using TuZiImages.Core.Imaging;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.Results;

namespace TuZiImages.Core.Saving;

/// <summary>
/// The files of one request. Images are written under temporary names in the target folder and renamed into
/// place only when whole, so no half-written image ever stands under a final name; whatever is not committed
/// is deleted when the session ends, whether it failed, timed out or was cancelled.
/// </summary>
internal sealed class SaveSession : IDisposable
{
    private const string TempPrefix = ".tuzi-";
    internal const string TempSuffix = ".partial";
    private readonly List<PendingFile> _files = new();
    private readonly List<(int ImageIndex, string Path)> _previews = new();
    private bool _keepPreviews;
    private readonly string _defaultStem;

    public SaveSession(SaveOptions options, DateTime now)
    {
        Options = options;
        _defaultStem = options.FileStem ?? "tuzi-" + now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
    }

    public SaveOptions Options { get; }

    public PendingFile CreatePending()
    {
        string path = Path.Combine(Options.Directory, TempPrefix + Guid.NewGuid().ToString("N") + TempSuffix);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024);
        var file = new PendingFile(path, stream);
        lock (_files)
        {
            _files.Add(file);
        }
        return file;
    }

    /// <summary>Closes a finished file and reads its type from its first bytes.</summary>
    public static void Finish(PendingFile file, ReadOnlySpan<byte> header)
    {
        file.Stream.Flush();
        file.Length = file.Stream.Length;
        file.Format = ImageFormat.Sniff(header);
        file.Stream.Dispose();
    }

    /// <summary>
    /// Renames a finished file into place and returns its final path; with a <paramref name="record"/>, writes it
    /// first as <see cref="SaveOptions.Metadata"/> says (into the file while it is still hidden, or a sidecar after).
    /// </summary>
    /// <param name="index">0-based position among the request's images.</param>
    /// <param name="count">How many images the request produced: numbering starts only when there are several.</param>
    public string Commit(PendingFile file, int index, int count, ImageRecord? record = null)
    {
        byte[]? sidecar = record is null || Options.Metadata == MetadataMode.None ? null : RecordWriter.BeforeMove(this, file, record, Options.Metadata);
        string target = PlannedPath(Options, _defaultStem, index, count, file.Format?.Extension ?? ".bin");
        file.FinalPath = MoveIntoPlace(file.TempPath, target, Options.Overwrite);
        if (sidecar is not null)
        {
            RecordWriter.WriteSidecar(this, file, sidecar, Options.Overwrite);
        }
        return file.FinalPath;
    }

    /// <summary>Moves a finished file to exactly <paramref name="target"/> (no _2 alternative); false when that name is taken and not to be replaced.</summary>
    internal static bool MoveExact(PendingFile file, string target, bool overwrite)
    {
        if (overwrite && File.Exists(target))
        {
            File.Replace(file.TempPath, target, null);
        }
        else if (!AtomicFile.TryMoveNoReplace(file.TempPath, target))
        {
            return false;
        }
        file.FinalPath = target;
        return true;
    }

    /// <summary>
    /// The name image <paramref name="index"/> of <paramref name="count"/> is saved under (before any _2 for a
    /// name taken): what <see cref="ExistingOutput"/> looks for, so saving and finding agree.
    /// </summary>
    internal static string PlannedPath(SaveOptions options, string defaultStem, int index, int count, string extension)
    {
        if (options.FilePath is { } exact)
        {
            // The caller's own name is kept as typed; only a missing extension is supplied.
            string withExtension = Path.HasExtension(exact) ? exact : exact + extension;
            return count == 1 ? withExtension
                : Path.Combine(options.Directory, Path.GetFileNameWithoutExtension(withExtension) + "-" + (index + 1) + Path.GetExtension(withExtension));
        }
        return Path.Combine(options.Directory, defaultStem + (count == 1 ? "" : "-" + (index + 1)) + extension);
    }

    /// <summary>
    /// Moves a whole preview into place beside where its image will go: fox.partial-1.png for fox.png. It stays
    /// only if the request succeeds (<see cref="KeepPreviews"/>); a failed request leaves no preview behind.
    /// </summary>
    public string CommitPreview(PendingFile file, int imageIndex, int expectedImages, int number)
    {
        string extension = file.Format?.Extension ?? ".bin";
        string stem = Options.FilePath is { } exact ? Path.GetFileNameWithoutExtension(exact) : _defaultStem;
        if (expectedImages > 1)
        {
            stem += "-" + (imageIndex + 1);
        }
        string target = Path.Combine(Options.Directory, stem + ".partial-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture) + extension);
        file.FinalPath = MoveIntoPlace(file.TempPath, target, Options.Overwrite);
        lock (_files)
        {
            _previews.Add((imageIndex, file.FinalPath));
        }
        Options.PreviewSaved?.Invoke(new ImagePreview { FullName = file.FinalPath, Number = number, ImageIndex = imageIndex + 1, Length = file.Length });
        return file.FinalPath;
    }

    public IReadOnlyList<string> PreviewsFor(int imageIndex)
    {
        lock (_files)
        {
            return _previews.Where(p => p.ImageIndex == imageIndex).Select(p => p.Path).ToArray();
        }
    }

    /// <summary>The request succeeded: its previews stay on disk.</summary>
    public void KeepPreviews() => _keepPreviews = true;

    private static string MoveIntoPlace(string tempPath, string target, bool overwrite)
    {
        for (int attempt = 1; attempt < 10000; attempt++)
        {
            string candidate = FileNaming.Alternative(target, attempt);
            if (overwrite && File.Exists(candidate))
            {
                File.Replace(tempPath, candidate, null);
                return candidate;
            }
            if (AtomicFile.TryMoveNoReplace(tempPath, candidate))
            {
                return candidate;
            }
        }
        throw new IOException($"No free file name was found beside '{target}'.");
    }

    public void Dispose()
    {
        lock (_files)
        {
            foreach (var file in _files)
            {
                file.Stream.Dispose();
                if (file.FinalPath is null)
                {
                    TryDelete(file.TempPath);
                }
            }
            _files.Clear();
            if (!_keepPreviews)
            {
                foreach (var preview in _previews)
                {
                    TryDelete(preview.Path);
                }
            }
            _previews.Clear();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
