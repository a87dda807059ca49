using System.Threading;

namespace TuZiImages.Core.Invocation;

/// <summary>
/// Progress bar ids, one per cmdlet invocation in the process. Not random: .NET Framework seeds new Random() from
/// the tick count, so two cmdlets started in the same tick (one pipeline) drew the same id and shared a bar.
/// </summary>
public static class ProgressIds
{
    private static int _last;

    /// <summary>The next id: positive and unique in the process (until two billion invocations wrap it).</summary>
    public static int Next()
    {
        int id = Interlocked.Increment(ref _last) & int.MaxValue;
        return id == 0 ? Next() : id;
    }
}
