using System.Net;

namespace TuZiImages.Core.Platform;

/// <summary>
/// Windows PowerShell leaves .NET Framework's legacy protocol defaults in place (often SSL 3 and TLS 1.0 only),
/// and the service's CDN refuses anything below TLS 1.2: "The underlying connection was closed". The setting is
/// process-wide (ServicePointManager): every other command in the session sees it, so the module adds the one
/// protocol it needs and nothing else. Not TLS 1.3: on .NET Framework 4.8 it meets a hang in the handshake with
/// some servers (dotnet/runtime#120863), and it would change what every other command offers.
/// </summary>
public static class TlsProtocols
{
    // Not in netstandard2.0's enum; the values are .NET Framework's.
    public const SecurityProtocolType SystemDefault = 0;
    public const SecurityProtocolType Tls12 = (SecurityProtocolType)3072;

    /// <summary>
    /// The protocols to use given the current ones: the current ones plus TLS 1.2. SystemDefault (0) means the
    /// OS chooses, which on a Windows new enough to have TLS 1.2 includes it: OR-ing a flag into 0 would instead
    /// pin exactly that flag. Whatever else is on (TLS 1.3 set by the user) stays on.
    /// </summary>
    public static SecurityProtocolType WithTls12(SecurityProtocolType current) =>
        current == SystemDefault ? current : current | Tls12;

    /// <summary>On .NET Framework, adds TLS 1.2 to ServicePointManager; elsewhere nothing.</summary>
    public static void EnsureTls12()
    {
        if (!HostSupport.IsNetFramework)
        {
            return;
        }
        var current = ServicePointManager.SecurityProtocol;
        var wanted = WithTls12(current);
        if (wanted != current)
        {
            ServicePointManager.SecurityProtocol = wanted;
        }
    }
}
