using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Transport;

/// <summary>
/// Every request the module sends says it expects no 100-continue. .NET Framework's ServicePointManager turns
/// Expect: 100-continue on for every POST by default, and its HttpClientHandler changes that (on the host's
/// ServicePoint) only when the request says so: each POST would otherwise wait up to 350 ms for a "100 Continue"
/// before sending its body, and some servers never send one. .NET sends none unless asked; this states it anyway.
/// In .NET Framework the setting lands on the host's ServicePoint, so other code in the session that talks to the
/// same host sends no Expect either: harmless, since a server must accept a body sent without one.
/// </summary>
internal sealed class NoExpectContinueHandler : DelegatingHandler
{
    public NoExpectContinueHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.ExpectContinue = false;
        return base.SendAsync(request, cancellationToken);
    }
}
