using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace TuZiImages.Core.Models;

/// <summary>
/// The models each service address last listed in this process, so tab completion can offer what the key's
/// group really has. Filled by Get-TuZiModel; keyed by base address, since another address is another list.
/// </summary>
public static class ModelCatalog
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> Known = new(StringComparer.OrdinalIgnoreCase);

    public static void Remember(Uri baseAddress, IEnumerable<TuZiModel> models) =>
        Known[Key(baseAddress)] = models.Select(m => m.Id).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The ids last listed for this address; empty when none were.</summary>
    public static IReadOnlyList<string> For(Uri baseAddress) =>
        Known.TryGetValue(Key(baseAddress), out var ids) ? ids : Array.Empty<string>();

    /// <summary>https://api.tu-zi.com, https://api.tu-zi.com/ and https://api.tu-zi.com/v1 are one service.</summary>
    private static string Key(Uri baseAddress)
    {
        string root = baseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (root.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            root = root.Substring(0, root.Length - 3);
        }
        return root;
    }
}
