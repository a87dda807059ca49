using System;
using System.Collections.Generic;
using System.IO;
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

/// <summary>
/// What Windows PowerShell cannot do for a module: bind a strong-named reference to the copy beside it when the
/// versions differ (System.Memory asks for System.Runtime.CompilerServices.Unsafe 4.0.4.1, the folder has 6.0.0.0).
/// An application would carry binding redirects; powershell.exe has none for a module, so this is the rule a
/// redirect would state, and nothing more. Only mscorlib types here: it runs while loads are failing.
/// </summary>
public static class AssemblyResolution
{
    /// <summary>
    /// The shipped assembly that answers a request, or null. It answers only for a name that ships, with the same
    /// public key token and culture, at a version no higher than the one shipped: a newer request would be a
    /// downgrade the requester never agreed to, and anything else belongs to someone else.
    /// </summary>
    public static ShippedAssembly? Answer(AssemblyName requested, IEnumerable<ShippedAssembly> shipped)
    {
        foreach (var candidate in shipped)
        {
            if (!string.Equals(candidate.Name.Name, requested.Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (TokenOf(candidate.Name) != TokenOf(requested)
                || !string.Equals(candidate.Name.CultureName ?? "", requested.CultureName ?? "", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            if (requested.Version is not null && candidate.Name.Version is not null && requested.Version > candidate.Name.Version)
            {
                return null;
            }
            return candidate;
        }
        return null;
    }

    /// <summary>
    /// The answer to a load that <paramref name="requestingPath"/> asked for: only the module's own assemblies are
    /// answered. Another module in the session may ship System.Text.Json or System.Memory of other versions; its
    /// loads are its own business, and handing it the module's copies would change what it runs. A load with no
    /// requesting assembly (null: Assembly.Load by name, a type name in a script, a deserializer) is declined too:
    /// the module's own references always come with their requester, in .NET Framework's binder.
    /// </summary>
    public static ShippedAssembly? Answer(AssemblyName requested, string? requestingPath, string moduleDirectory, IEnumerable<ShippedAssembly> shipped) =>
        IsInDirectory(requestingPath, moduleDirectory) ? Answer(requested, shipped) : null;

    /// <summary>True when a file lies directly in the folder (not below it); paths compare as Windows compares them.</summary>
    public static bool IsInDirectory(string? path, string directory)
    {
        if (string.IsNullOrEmpty(path) || string.IsNullOrEmpty(directory))
        {
            return false;
        }
        string? parent;
        try
        {
            parent = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            directory = System.IO.Path.GetFullPath(directory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            return false;
        }
        return parent is not null && string.Equals(parent.TrimEnd('\\', '/'), directory.TrimEnd('\\', '/'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every assembly in a folder, read as metadata (nothing is loaded); files that are not assemblies are skipped.</summary>
    public static IReadOnlyList<ShippedAssembly> InDirectory(string directory)
    {
        var found = new List<ShippedAssembly>();
        foreach (var path in Directory.GetFiles(directory, "*.dll"))
        {
            try
            {
                found.Add(new ShippedAssembly(AssemblyName.GetAssemblyName(path), path));
            }
            catch (BadImageFormatException)
            {
            }
        }
        return found;
    }

    /// <summary>The public key token as lower-case hex; "" for an assembly without a strong name.</summary>
    public static string TokenOf(AssemblyName name)
    {
        var token = name.GetPublicKeyToken();
        if (token is null || token.Length == 0)
        {
            return "";
        }
        var hex = new char[token.Length * 2];
        for (var i = 0; i < token.Length; i++)
        {
            hex[2 * i] = "0123456789abcdef"[token[i] >> 4];
            hex[2 * i + 1] = "0123456789abcdef"[token[i] & 0xF];
        }
        return new string(hex);
    }
}

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

/// <summary>
/// Something registered once for many holders: each runspace imports the module on its own (runspace pools,
/// thread jobs) and one AssemblyResolve handler serves them all, so it goes only when the last holder lets go.
/// </summary>
public sealed class SharedRegistration
{
    private readonly object _gate = new();
    private readonly Action _register;
    private readonly Action _unregister;
    private int _holders;

    public SharedRegistration(Action register, Action unregister)
    {
        _register = register;
        _unregister = unregister;
    }

    public int Holders
    {
        get
        {
            lock (_gate)
            {
                return _holders;
            }
        }
    }

    public void Acquire()
    {
        lock (_gate)
        {
            if (_holders == 0)
            {
                _register();
            }
            _holders++;
        }
    }

    /// <summary>A release without an acquire (a removal after a failed import) changes nothing.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_holders > 0 && --_holders == 0)
            {
                _unregister();
            }
        }
    }
}
