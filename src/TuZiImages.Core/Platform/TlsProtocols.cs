using System;
using System.Net;

namespace TuZiImages.Core.Platform;

/// <summary>
/// Windows PowerShell leaves .NET Framework's legacy protocol defaults in place (often SSL 3 and TLS 1.0 only),
/// and the service's CDN refuses anything below TLS 1.2: "The underlying connection was closed". The setting is
/// process-wide (ServicePointManager), so protocols are only ever added, never taken away.
/// </summary>
public static class TlsProtocols
{
    // Not in netstandard2.0's enum; the values are .NET Framework's.
    public const SecurityProtocolType SystemDefault = 0;
    public const SecurityProtocolType Tls12 = (SecurityProtocolType)3072;
    public const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;

    /// <summary>
    /// The protocols to use given the current ones. SystemDefault (0) means the OS chooses, which on a Windows
    /// new enough to have TLS 1.2 includes it: OR-ing a flag into 0 would instead pin exactly that flag.
    /// </summary>
    public static SecurityProtocolType WithModernProtocols(SecurityProtocolType current, bool offerTls13)
    {
        if (current == SystemDefault)
        {
            return current;
        }
        var wanted = current | Tls12;
        if (offerTls13)
        {
            wanted |= Tls13;
        }
        return wanted;
    }

    /// <summary>
    /// TLS 1.3 only where the runtime's enum names it (.NET Framework 4.8) and Schannel speaks it (Windows 11,
    /// Server 2022: build 20348 on). An older Schannel given the flag can fail the handshake (the protocol is unknown to it) rather than fall back.
    /// </summary>
    public static bool OffersTls13(bool runtimeDefinesTls13, Version windowsVersion) =>
        runtimeDefinesTls13 && windowsVersion >= new Version(10, 0, 20348);

    /// <summary>On .NET Framework, adds TLS 1.2 (and 1.3 where possible) to ServicePointManager; elsewhere nothing.</summary>
    public static void EnsureModernProtocols()
    {
        if (!HostSupport.IsNetFramework)
        {
            return;
        }
        var current = ServicePointManager.SecurityProtocol;
        var wanted = WithModernProtocols(current, OffersTls13(Enum.IsDefined(typeof(SecurityProtocolType), Tls13), Environment.OSVersion.Version));
        if (wanted != current)
        {
            ServicePointManager.SecurityProtocol = wanted;
        }
    }
}
