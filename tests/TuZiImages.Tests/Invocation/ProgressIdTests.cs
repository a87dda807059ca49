using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.Core.Invocation;

namespace TuZiImages.Tests.Invocation;

/// <summary>Progress bar ids: never shared, however many cmdlets start at once.</summary>
public class ProgressIdTests
{
    [Fact]
    public void Ids_drawn_at_the_same_moment_on_many_threads_are_all_different_and_positive()
    {
        var ids = new ConcurrentBag<int>();
        Parallel.For(0, 10_000, _ => ids.Add(ProgressIds.Next()));

        Assert.Equal(10_000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id > 0));
    }
}
