using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// The small file in which the processes of one machine keep one view of one address and key's limits: read and
/// rewritten under a lock, each write whole under a temporary name and then moved into place, so a reader never
/// meets half a view. The lock is a file held open exclusively, so a killed process's lock goes with it.
/// </summary>
/// <remarks>Named by a hash of the address and of the key's fingerprint: the key is never written, nor anything it
/// could be recovered from.</remarks>
internal sealed class SharedLimitFile
{
    /// <summary>How long a transaction waits for another process's; past it, this process goes on with what it knows.</summary>
    private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(2);
    /// <summary>Files not written for this long belong to keys no longer used: removed when a view is first shared.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromDays(1);
    private static int _cleaned;

    private readonly string _lockPath;
    private readonly string _tempPath;

    public SharedLimitFile(string folder, string name)
    {
        Folder = folder;
        Path = System.IO.Path.Combine(folder, name + ".json");
        _lockPath = System.IO.Path.Combine(folder, name + ".lock");
        _tempPath = System.IO.Path.Combine(folder, name + ".tmp");
    }

    public string Folder { get; }
    public string Path { get; }

    /// <summary>
    /// The per-user folder the views live in: the temporary folder on Windows and macOS (each user has their own);
    /// on Linux and other Unix, where /tmp is everyone's, $XDG_RUNTIME_DIR, else $XDG_CACHE_HOME, else ~/.cache.
    /// Null when none is known.
    /// </summary>
    public static string? DefaultFolder()
    {
        string? root = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
            ? System.IO.Path.GetTempPath()
            : Variable("XDG_RUNTIME_DIR") ?? Variable("XDG_CACHE_HOME") ?? (Variable("HOME") is { } home ? System.IO.Path.Combine(home, ".cache") : null);
        return root is null ? null : System.IO.Path.Combine(root, "TuZiImages", "limits");
    }

    /// <summary>When another process last wrote the view; null when there is none.</summary>
    public DateTime? LastWrittenUtc()
    {
        try
        {
            return File.Exists(Path) ? File.GetLastWriteTimeUtc(Path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Under the lock: hands <paramref name="update"/> the view as it stands (null when there is none) and writes what
    /// it returns, unless null. False when the lock could not be had in time or the folder cannot be written.
    /// </summary>
    public bool Transact(Func<byte[]?, byte[]?> update)
    {
        try
        {
            Directory.CreateDirectory(Folder);
            CleanUpOnce();
            using var held = Lock();
            if (held is null)
            {
                return false;
            }
            byte[]? current = File.Exists(Path) ? File.ReadAllBytes(Path) : null;
            if (update(current) is { } next)
            {
                File.WriteAllBytes(_tempPath, next);
                if (File.Exists(Path))
                {
                    File.Replace(_tempPath, Path, null);
                }
                else
                {
                    File.Move(_tempPath, Path);
                }
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private FileStream? Lock()
    {
        var deadline = DateTime.UtcNow + LockPatience;
        for (int wait = 1; ; wait = Math.Min(wait * 2, 16))
        {
            try
            {
                return new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another process holds it for the few milliseconds of its transaction.
                Thread.Sleep(wait);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    private void CleanUpOnce()
    {
        if (Interlocked.Exchange(ref _cleaned, 1) == 1)
        {
            return;
        }
        foreach (string file in Directory.GetFiles(Folder))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > Stale)
                {
                    File.Delete(file);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or in use: it is tiny, and left.
            }
        }
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
