using System.Reflection;

namespace TuZiImages.Core.Platform;

/// <summary>An assembly file that ships in the module's folder, by its identity.</summary>
public sealed class ShippedAssembly
{
    public ShippedAssembly(AssemblyName name, string path)
    {
        Name = name;
        Path = path;
    }

    public AssemblyName Name { get; }
    public string Path { get; }

    public override string ToString() => Name.FullName;
}
