using System.Reflection;

namespace TuZiImages.Core.Platform;

/// <summary>An assembly the module ships that the session had already loaded from somewhere else.</summary>
public sealed class DependencyConflict
{
    public DependencyConflict(AssemblyName loaded, string loadedFrom, ShippedAssembly shipped)
    {
        Loaded = loaded;
        LoadedFrom = loadedFrom;
        Shipped = shipped;
    }

    public AssemblyName Loaded { get; }
    public string LoadedFrom { get; }
    public ShippedAssembly Shipped { get; }

    public override string ToString() =>
        $"{Loaded.Name} {Loaded.Version} loaded from '{LoadedFrom}', where TuZiImages ships {Shipped.Name.Version} at '{Shipped.Path}'";
}
