using System;
using System.Collections.Generic;
using System.Management.Automation;
using TuZiImages.Core;

namespace TuZiImages;

/// <summary>Image paths as the cmdlets take them: wildcards resolved to files (or taken as written), in the file system only.</summary>
internal static class ProviderPaths
{
    /// <summary>Each path that matches nothing, or is no file system path, is a non-terminating failure naming it; the rest go on.</summary>
    public static List<string> Resolve(PSCmdlet cmdlet, IEnumerable<string>? paths, bool literal, Action<TuZiImagesException> fail)
    {
        var resolved = new List<string>();
        foreach (string path in paths ?? Array.Empty<string>())
        {
            try
            {
                if (literal)
                {
                    resolved.Add(cmdlet.GetUnresolvedProviderPathFromPSPath(path));
                    continue;
                }
                var matches = cmdlet.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    fail(TuZiImagesException.InvalidInput($"'{path}' is not a file system path.", path));
                    continue;
                }
                if (matches.Count == 0)
                {
                    fail(TuZiImagesException.InvalidInput($"No file matches '{path}'.", path));
                }
                resolved.AddRange(matches);
            }
            catch (ItemNotFoundException)
            {
                fail(TuZiImagesException.InvalidInput($"Cannot find the image '{path}' because it does not exist.", path));
            }
            catch (Exception e) when (e is ProviderNotFoundException or DriveNotFoundException or PSArgumentException or NotSupportedException)
            {
                fail(TuZiImagesException.InvalidInput($"'{path}' is not a usable path: {e.Message}", path));
            }
        }
        return resolved;
    }
}
