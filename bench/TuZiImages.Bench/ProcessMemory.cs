using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace TuZiImages.Bench;

/// <summary>
/// Peak resident memory of this process. On Linux the kernel's high-water mark (VmHWM) can be reset by
/// writing 5 to /proc/self/clear_refs, so a peak can be measured for one scenario at a time.
/// </summary>
internal static class ProcessMemory
{
    public static bool CanResetPeak => File.Exists("/proc/self/clear_refs");

    public static long ResidentBytes() => Status("VmRSS:") ?? Process.GetCurrentProcess().WorkingSet64;

    public static long PeakBytes() => Status("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64;

    /// <summary>Settles the heap, resets the peak, and returns the resident size to measure growth from.</summary>
    public static long Settle()
    {
        // Aggressive also gives memory back to the OS: otherwise a scenario could reuse pages an earlier one
        // left resident and look free.
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        if (CanResetPeak)
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        return ResidentBytes();
    }

    /// <summary>Proves the instrument: touching a known amount must show up as that much growth.</summary>
    public static double CalibrateMegabytes(int megabytes)
    {
        long idle = Settle();
        var block = new byte[megabytes * 1024 * 1024];
        for (int i = 0; i < block.Length; i += 4096)
        {
            block[i] = 1;
        }
        double grown = (PeakBytes() - idle) / (1024.0 * 1024.0);
        GC.KeepAlive(block);
        return grown;
    }

    private static long? Status(string key)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        string kilobytes = new string(line.Substring(key.Length).Where(char.IsDigit).ToArray());
        return long.Parse(kilobytes) * 1024;
    }
}
