using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace TuZiImages.Core.Platform;

/// <summary>
/// Windows PowerShell runs every module in one AppDomain, and many modules ship System.Text.Json, System.Memory
/// and their kin. When another module loaded its copy first, .NET Framework may bind the module to that copy,
/// or load the module's beside it so that the same type comes from two files: either fails later as a
/// MissingMethodException, TypeLoadException, FileLoadException or InvalidCastException that names neither
/// file. This finds such copies at import and turns those exceptions into an error that names both.
/// </summary>
public static class DependencyConflicts
{
    private static IReadOnlyList<DependencyConflict> _current = Array.Empty<DependencyConflict>();

    /// <summary>What the import found (Windows PowerShell only; empty elsewhere).</summary>
    public static IReadOnlyList<DependencyConflict> Current => _current;

    /// <summary>
    /// The loaded assemblies that share a name with one the module ships but come from another folder. The
    /// module's own assemblies (TuZiImages*) are not conflicts: a second import of the module loads them again.
    /// </summary>
    public static IReadOnlyList<DependencyConflict> Find(IEnumerable<(AssemblyName Name, string? Location)> loaded,
        IReadOnlyList<ShippedAssembly> shipped, string moduleDirectory)
    {
        var found = new List<DependencyConflict>();
        foreach (var (name, location) in loaded)
        {
            if (string.IsNullOrEmpty(location) || AssemblyResolution.IsInDirectory(location, moduleDirectory)
                || (name.Name ?? "").StartsWith("TuZiImages", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var same = shipped.FirstOrDefault(s => string.Equals(s.Name.Name, name.Name, StringComparison.OrdinalIgnoreCase));
            if (same is not null && !found.Any(f => string.Equals(f.LoadedFrom, location, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(new DependencyConflict(name, location!, same));
            }
        }
        return found;
    }

    /// <summary>Finds the conflicts in this AppDomain and keeps them for <see cref="Explain"/>.</summary>
    public static IReadOnlyList<DependencyConflict> Record(IReadOnlyList<ShippedAssembly> shipped, string moduleDirectory)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic).Select(a => (a.GetName(), LocationOf(a)));
        _current = Find(loaded, shipped, moduleDirectory);
        return _current;
    }

    /// <summary>
    /// The "dependency conflict" error for an exception that such a copy can cause; null when the exception is of
    /// another kind or nothing conflicts (then it is not this, and is left as it was).
    /// </summary>
    public static TuZiImagesException? Explain(Exception exception, IReadOnlyList<DependencyConflict> conflicts)
    {
        if (conflicts.Count == 0 || BindingFailure(exception) is not { } failure)
        {
            return null;
        }
        // The ones the failure names first; all of them when it names none (a missing Span method names no assembly).
        var named = conflicts.Where(c => failure.Message.IndexOf(c.Loaded.Name ?? "\0", StringComparison.OrdinalIgnoreCase) >= 0).ToList();
        var shown = named.Count > 0 ? named : conflicts.ToList();
        return new TuZiImagesException(TuZiErrorKind.DependencyConflict,
            $"Dependency conflict: another module in this session loaded {string.Join("; ", shown)}. "
            + $"The module could not run with that copy ({failure.GetType().Name}: {failure.Message})", exception)
        {
            Target = shown[0].LoadedFrom,
            RecommendedAction = "Import TuZiImages first in a new Windows PowerShell session (powershell.exe -NoProfile, then Import-Module TuZiImages before the other module), "
                + "or use PowerShell 7.4 or later, where each module's copy binds on its own. See DEPENDENCY CONFLICTS in about_TuZiImages.",
        };
    }

    /// <summary><see cref="Explain"/> with what the import found.</summary>
    public static TuZiImagesException? Explain(Exception exception) => Explain(exception, _current);

    private static Exception? BindingFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is MissingMethodException or MissingFieldException or TypeLoadException or FileLoadException or InvalidCastException)
            {
                return e;
            }
        }
        return null;
    }

    private static string? LocationOf(Assembly assembly)
    {
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
