using System;
using System.IO;
using System.Linq;
using TuZiImages.Core.RateLimits;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>
/// The view of a key's limits that the processes of a machine share (one file, read and rewritten under its lock),
/// played by two views of one file, each with an estimator of its own as a process has, on virtual time.
/// </summary>
public class SharedViewTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static RateLimitEstimator Estimator(string owner)
    {
        var estimator = new RateLimitEstimator(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), () => 0.5, owner);
        estimator.Arrive(4);
        return estimator;
    }

    private static (SharedView View, RateLimitEstimator Limits) Process(SharedLimitFile file, string owner)
    {
        var view = new SharedView(file, owner, TimeSpan.Zero);
        view.Activate();
        return (view, Estimator(owner));
    }

    [Fact]
    public void Another_process_sees_the_requests_in_flight_and_a_killed_one_frees_its_places_after_the_expiry()
    {
        using var folder = new TempDirectory();
        var file = new SharedLimitFile(folder.Path, "view");
        var (viewA, limitsA) = Process(file, "a");
        var (viewB, limitsB) = Process(file, "b");

        for (int i = 0; i < 3; i++)
        {
            viewA.Run(limitsA, Second, 4, Array.Empty<Attempt>(), () => limitsA.Start(Second, 4, 0, asProbe: false));
        }
        int seen = viewB.Run(limitsB, 2 * Second, 4, Array.Empty<Attempt>(), () => limitsB.InFlight);
        // Process a is killed: it is heard from no more. Just before the expiry its places are still taken; after it, freed.
        int beforeExpiry = viewB.Run(limitsB, Second + SharedView.OwnerExpiry - Second, 4, Array.Empty<Attempt>(), () => limitsB.InFlight);
        int afterExpiry = viewB.Run(limitsB, Second + SharedView.OwnerExpiry + Second, 4, Array.Empty<Attempt>(), () => limitsB.InFlight);

        Assert.Equal(3, seen);
        Assert.Equal(3, beforeExpiry);
        Assert.Equal(0, afterExpiry);
    }

    [Fact]
    public void The_view_is_one_small_file_written_whole_with_no_temporary_file_left()
    {
        using var folder = new TempDirectory();
        var file = new SharedLimitFile(folder.Path, "view");
        var (view, limits) = Process(file, "a");

        view.Run(limits, Second, 4, Array.Empty<Attempt>(), () => limits.Start(Second, 4, 0, asProbe: false));

        Assert.Equal(new[] { "view.json", "view.lock" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.True(new FileInfo(file.Path).Length < 8 * 1024);
    }
}
