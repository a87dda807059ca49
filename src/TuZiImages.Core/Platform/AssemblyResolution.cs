using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace TuZiImages.Core.Platform;

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
