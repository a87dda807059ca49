using System.Linq;
using TuZiImages.Tests.Cmdlets;

namespace TuZiImages.Tests.Desktop;

/// <summary>
/// The module initializer runs before its resolver exists: if anything it runs named a type from System.Text.Json,
/// System.Memory or the like, Windows PowerShell would fail to load that assembly before the fix was in place.
/// </summary>
public class InitializerDependencyTests : IClassFixture<BuiltModule>
{
    private static readonly string[] Allowed = { "netstandard", "System.Management.Automation", "TuZiImages", "TuZiImages.Core" };

    private readonly BuiltModule _module;

    public InitializerDependencyTests(BuiltModule module) => _module = module;

    [Fact]
    public void The_initializer_and_the_resolver_it_registers_need_only_the_framework_PowerShell_and_the_module()
    {
        using var walk = new ReachableAssemblies(_module.Directory, "TuZiImages", "TuZiImages.Core")
            .FromType("TuZiImages", "TuZiImages.ModuleInitializer");

        var outside = walk.Found.Where(f => !Allowed.Contains(f.Key)).Select(f => $"{f.Key} (first needed by {f.Value})").ToList();
        Assert.True(outside.Count == 0, "Loaded before the resolver is registered:\n" + string.Join("\n", outside));
        // It did walk into the core, where the rule and the handler live.
        Assert.Contains("TuZiImages.Core", walk.Found.Keys);
    }

    [Fact]
    public void The_walk_sees_a_dependency_where_there_is_one()
    {
        // The same walk from code that parses JSON must find System.Text.Json, or the test above proves nothing.
        using var walk = new ReachableAssemblies(_module.Directory, "TuZiImages", "TuZiImages.Core")
            .FromType("TuZiImages.Core", "TuZiImages.Core.Transport.ErrorBody");

        Assert.Contains("System.Text.Json", walk.Found.Keys);
    }
}
