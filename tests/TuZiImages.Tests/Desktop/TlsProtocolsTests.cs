using System.Net;
using TuZiImages.Core.Platform;

namespace TuZiImages.Tests.Desktop;

/// <summary>The protocol rule for Windows PowerShell's process-wide ServicePointManager.SecurityProtocol.</summary>
public class TlsProtocolsTests
{
    private const SecurityProtocolType Ssl3 = (SecurityProtocolType)48;
    private const SecurityProtocolType Tls10 = (SecurityProtocolType)192;
    private const SecurityProtocolType Tls11 = (SecurityProtocolType)768;
    private const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;

    [Fact]
    public void The_legacy_default_gains_TLS_1_2_and_keeps_what_was_there() =>
        Assert.Equal(Ssl3 | Tls10 | TlsProtocols.Tls12, TlsProtocols.WithTls12(Ssl3 | Tls10));

    [Fact]
    public void TLS_1_3_is_never_added_to_what_every_other_command_in_the_session_uses() =>
        Assert.Equal(Tls10 | Tls11 | TlsProtocols.Tls12, TlsProtocols.WithTls12(Tls10 | Tls11));

    [Fact]
    public void TLS_1_3_that_the_user_turned_on_stays_on() =>
        Assert.Equal(TlsProtocols.Tls12 | Tls13, TlsProtocols.WithTls12(TlsProtocols.Tls12 | Tls13));

    [Fact]
    public void Protocols_already_on_are_left_as_they_are() =>
        Assert.Equal(TlsProtocols.Tls12, TlsProtocols.WithTls12(TlsProtocols.Tls12));

    [Fact]
    public void SystemDefault_is_left_to_the_operating_system_instead_of_pinned_to_one_protocol()
    {
        Assert.Equal(0, (int)TlsProtocols.SystemDefault);
        Assert.Equal(TlsProtocols.SystemDefault, TlsProtocols.WithTls12(TlsProtocols.SystemDefault));
    }

    [Fact]
    public void The_values_are_the_ones_NET_Framework_uses()
    {
        Assert.Equal(SecurityProtocolType.Tls12, TlsProtocols.Tls12);
        Assert.Equal(SecurityProtocolType.Tls13, Tls13);
    }
}
