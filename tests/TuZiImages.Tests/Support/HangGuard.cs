using System;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Tests.Support;

/// <summary>
/// The one wall-clock bound the tests have: so long that no machine, however loaded, takes it for a step that
/// works, so it only turns a hang into a failure. Nothing a test asserts depends on how fast anything ran: the
/// test waits for an event (a hold reached, a file written, a log line), never for an amount of time.
/// </summary>
public static class HangGuard
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Awaits the task, failing with <paramref name="what"/> if it has not ended within <see cref="Bound"/>.</summary>
    public static async Task Within(this Task task, string what)
    {
        try
        {
            await task.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {Bound.TotalSeconds} s for {what}: a hang.");
        }
    }

    public static async Task<T> Within<T>(this Task<T> task, string what)
    {
        await ((Task)task).Within(what);
        return await task;
    }

    /// <summary>For a condition that no event announces (a file on disk, a server's count): checks it until it holds.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Bound.TotalSeconds} s for {what}: a hang.");
            }
            Thread.Sleep(10);
        }
    }
}
