using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core;

namespace TuZiImages.Commands;

/// <summary>
/// Get-TuZiBalance: what the key may still spend, from the service's billing endpoints
/// (GET /v1/dashboard/billing/subscription and /v1/dashboard/billing/usage), in US dollars.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TuZiBalance")]
[OutputType(typeof(TuZiBalance))]
public sealed class GetTuZiBalanceCommand : TuZiQueryCommandBase
{
    protected override async Task<IEnumerable<object>> AskAsync(TuZiImagesClient client, CancellationToken cancellationToken) =>
        new object[] { await client.GetBalanceAsync(cancellationToken).ConfigureAwait(false) };
}
