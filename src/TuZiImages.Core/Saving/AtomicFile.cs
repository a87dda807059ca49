using System;
using System.IO;
using System.Runtime.InteropServices;

namespace TuZiImages.Core.Saving;

/// <summary>
/// Moves a finished file to its final name only if nothing stands there, atomically. .NET's File.Move on Unix
/// checks and then renames, so two requests saving under one name at once could replace each other's image;
/// link(2) fails with EEXIST instead. Windows' MoveFileEx without the replace flag is already atomic.
/// </summary>
internal static class AtomicFile
{
    private const int EEXIST = 17; // the same on Linux and macOS
    private static readonly object FallbackGate = new();
    private static bool _linkUnavailable;

    /// <summary>True when moved; false when the destination already exists (the source is left as it was).</summary>
    public static bool TryMoveNoReplace(string source, string destination)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return MoveUnlessExists(source, destination);
        }
        if (!_linkUnavailable)
        {
            int result;
            try
            {
                result = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? LinuxLink(source, destination) : UnixLink(source, destination);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _linkUnavailable = true;
                return TryMoveNoReplace(source, destination);
            }
            if (result == 0)
            {
                File.Delete(source);
                return true;
            }
            if (Marshal.GetLastWin32Error() == EEXIST)
            {
                return false;
            }
            // No hard links on this file system (FAT, some network shares): fall through.
        }
        // Atomic among this process's requests, which is where a batch's name collisions come from.
        lock (FallbackGate)
        {
            return MoveUnlessExists(source, destination);
        }
    }

    private static bool MoveUnlessExists(string source, string destination)
    {
        if (File.Exists(destination) || Directory.Exists(destination))
        {
            return false;
        }
        try
        {
            File.Move(source, destination);
            return true;
        }
        catch (IOException) when (File.Exists(destination) && File.Exists(source))
        {
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "link", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int LinuxLink(string existingPath, string newPath);

    [DllImport("libc", EntryPoint = "link", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int UnixLink(string existingPath, string newPath);
}
