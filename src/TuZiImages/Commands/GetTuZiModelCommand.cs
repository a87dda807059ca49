using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core;

namespace TuZiImages.Commands;

/// <summary>
/// Get-TuZiModel: GET /v1/models, the models the key's group may use, with the price per request the service
/// publishes (/api/pricing). The list is remembered for the session, so that tab completion of -Model offers these first.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TuZiModel")]
[OutputType(typeof(TuZiModel))]
public sealed class GetTuZiModelCommand : TuZiQueryCommandBase
{
    /// <summary>Only models whose id matches one of these wildcard patterns.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string[]? Name { get; set; }

    protected override async Task<IEnumerable<object>> AskAsync(TuZiImagesClient client, CancellationToken cancellationToken)
    {
        var patterns = (Name ?? System.Array.Empty<string>())
            .Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
        var models = await client.ListPricedModelsAsync(cancellationToken).ConfigureAwait(false);
        return models.Where(m => patterns.Length == 0 || patterns.Any(p => p.IsMatch(m.Id)));
    }
}
