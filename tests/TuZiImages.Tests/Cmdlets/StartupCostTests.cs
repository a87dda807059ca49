using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace TuZiImages.Tests.Cmdlets;

/// <summary>What loading the module costs: no reflection-based JSON, whose first use is slow and trim-unsafe.</summary>
public class StartupCostTests : IClassFixture<BuiltModule>
{
    private readonly BuiltModule _module;

    public StartupCostTests(BuiltModule module) => _module = module;

    [Theory]
    [InlineData("TuZiImages.dll")]
    [InlineData("TuZiImages.Core.dll")]
    public void The_module_never_calls_the_reflection_based_json_serializer(string assembly)
    {
        using var stream = File.OpenRead(Path.Combine(_module.Directory, assembly));
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var referencedTypes = metadata.TypeReferences.Select(h => metadata.GetTypeReference(h))
            .Select(t => metadata.GetString(t.Namespace) + "." + metadata.GetString(t.Name)).ToList();

        Assert.DoesNotContain("System.Text.Json.JsonSerializer", referencedTypes);
        Assert.DoesNotContain("System.Text.Json.Serialization.JsonConverter", referencedTypes);
    }
}
