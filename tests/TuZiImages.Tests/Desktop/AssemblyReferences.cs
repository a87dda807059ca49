using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using TuZiImages.Core.Platform;

namespace TuZiImages.Tests.Desktop;

/// <summary>One assembly file's identity and the assemblies it references, read as metadata.</summary>
public sealed record AssemblyFile(string Path, AssemblyName Name, IReadOnlyList<AssemblyName> References)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    public static AssemblyFile Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h).GetAssemblyName()).ToList();
        return new AssemblyFile(path, metadata.GetAssemblyDefinition().GetAssemblyName(), references);
    }

    public static string Describe(AssemblyName name) =>
        $"{name.Name} {name.Version} (token {(AssemblyResolution.TokenOf(name) is { Length: > 0 } t ? t : "none")})";
}

/// <summary>What .NET Framework 4.7.2 provides, from its reference assemblies and facades.</summary>
public sealed class NetFramework472
{
    public static NetFramework472 Instance => Lazy.Value;
    private static readonly Lazy<NetFramework472> Lazy = new(() => new NetFramework472());

    private NetFramework472()
    {
        var metadata = typeof(NetFramework472).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value!);
        Directory = metadata["NetFramework472ReferenceAssemblies"];
        Assemblies = System.IO.Directory.GetFiles(Directory, "*.dll")
            .Concat(System.IO.Directory.GetFiles(System.IO.Path.Combine(Directory, "Facades"), "*.dll"))
            .Select(NameOrNull)
            .OfType<AssemblyName>()
            .ToDictionary(n => n.Name!, StringComparer.OrdinalIgnoreCase);
    }

    public string Directory { get; }
    public IReadOnlyDictionary<string, AssemblyName> Assemblies { get; }

    // A few files in the pack are modules without an assembly manifest.
    private static AssemblyName? NameOrNull(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// .NET Framework unifies a reference to one of its own assemblies to the version it has, when that is no
    /// lower than the one asked for and the key is the same.
    /// </summary>
    public bool Provides(AssemblyName reference) =>
        Assemblies.TryGetValue(reference.Name!, out var provided)
        && AssemblyResolution.TokenOf(provided) == AssemblyResolution.TokenOf(reference)
        && (reference.Version is null || provided.Version >= reference.Version);
}
