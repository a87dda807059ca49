using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using TuZiImages.Core.Transport;

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

    // Another address is another list, but the same address with or without /v1 is the same service.
    private static string Key(Uri baseAddress) => new ApiAddress(baseAddress).Service;
}
