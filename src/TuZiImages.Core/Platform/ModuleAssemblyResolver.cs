using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace TuZiImages.Core.Platform;

/// <summary>
/// Answers AppDomain.AssemblyResolve with the module folder's own copies, by <see cref="AssemblyResolution.Answer"/>.
/// Used on .NET Framework only: PowerShell 7 binds by "this version or higher" and needs no help.
/// </summary>
public sealed class ModuleAssemblyResolver
{
    // A name being answered on this thread: should loading the answer ask for the same name again, the handler
    // declines instead of recursing. Other names are still answered (a dependency of the answer, say).
    [ThreadStatic] private static List<string>? _answering;
    private readonly IReadOnlyList<ShippedAssembly> _shipped;
    private readonly string _moduleDirectory;

    public ModuleAssemblyResolver(string moduleDirectory)
        : this(moduleDirectory, AssemblyResolution.InDirectory(moduleDirectory))
    {
    }

    public ModuleAssemblyResolver(string moduleDirectory, IReadOnlyList<ShippedAssembly> shipped)
    {
        _moduleDirectory = moduleDirectory;
        _shipped = shipped;
    }

    /// <summary>What the folder ships, as the handler reads it.</summary>
    public IReadOnlyList<ShippedAssembly> Shipped => _shipped;

    public void Register() => AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;

    public void Unregister() => AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;

    private Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args) => Resolve(args);

    /// <summary>The handler's answer to one AssemblyResolve event.</summary>
    public Assembly? Resolve(ResolveEventArgs args)
    {
        AssemblyName requested;
        try
        {
            requested = new AssemblyName(args.Name);
        }
        catch (Exception e) when (e is ArgumentException or FileLoadException)
        {
            return null;
        }
        var answer = AssemblyResolution.Answer(requested, LocationOf(args.RequestingAssembly), _moduleDirectory, _shipped);
        if (answer is null)
        {
            return null;
        }
        var answering = _answering ??= new List<string>();
        if (answering.Contains(answer.Path))
        {
            return null;
        }
        answering.Add(answer.Path);
        try
        {
            // LoadFrom, so the answered assembly's own references are probed in the module folder too.
            return Assembly.LoadFrom(answer.Path);
        }
        finally
        {
            answering.Remove(answer.Path);
        }
    }

    // A dynamic assembly has no file (.NET Framework throws for its Location); it is never the module's.
    private static string? LocationOf(Assembly? assembly)
    {
        if (assembly is null || assembly.IsDynamic)
        {
            return null;
        }
        try
        {
            return assembly.Location;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
