using System;
using System.Net;
using TuZiImages.Core.Platform;

namespace TuZiImages.Tests.Desktop;

/// <summary>The protocol rule for Windows PowerShell's process-wide ServicePointManager.SecurityProtocol.</summary>
public class TlsProtocolsTests
{
    private const SecurityProtocolType Ssl3 = (SecurityProtocolType)48;
    private const SecurityProtocolType Tls10 = (SecurityProtocolType)192;
    private const SecurityProtocolType Tls11 = (SecurityProtocolType)768;

    [Fact]
    public void The_legacy_default_gains_TLS_1_2_and_keeps_what_was_there() =>
        Assert.Equal(Ssl3 | Tls10 | TlsProtocols.Tls12, TlsProtocols.WithModernProtocols(Ssl3 | Tls10, offerTls13: false));

    [Fact]
    public void TLS_1_3_is_added_where_it_can_be_offered() =>
        Assert.Equal(Tls10 | Tls11 | TlsProtocols.Tls12 | TlsProtocols.Tls13, TlsProtocols.WithModernProtocols(Tls10 | Tls11, offerTls13: true));

    [Fact]
    public void Protocols_already_on_are_left_as_they_are() =>
        Assert.Equal(TlsProtocols.Tls12, TlsProtocols.WithModernProtocols(TlsProtocols.Tls12, offerTls13: false));

    [Fact]
    public void SystemDefault_is_left_to_the_operating_system_instead_of_pinned_to_one_protocol()
    {
        Assert.Equal(0, (int)TlsProtocols.SystemDefault);
        Assert.Equal(TlsProtocols.SystemDefault, TlsProtocols.WithModernProtocols(TlsProtocols.SystemDefault, offerTls13: true));
    }

    [Theory]
    [InlineData(true, "10.0.20348", true)]   // Server 2022
    [InlineData(true, "10.0.22631", true)]   // Windows 11
    [InlineData(true, "10.0.19045", false)]  // Windows 10: Schannel has no TLS 1.3 client
    [InlineData(true, "6.3.9600", false)]    // Windows 8.1 / Server 2012 R2
    [InlineData(false, "10.0.22631", false)] // .NET Framework 4.7.2: the enum has no Tls13
    public void TLS_1_3_is_offered_only_where_runtime_and_Schannel_both_have_it(bool runtimeDefinesTls13, string windows, bool expected) =>
        Assert.Equal(expected, TlsProtocols.OffersTls13(runtimeDefinesTls13, Version.Parse(windows)));

    [Fact]
    public void The_values_are_the_ones_NET_Framework_uses()
    {
        Assert.Equal(SecurityProtocolType.Tls12, TlsProtocols.Tls12);
        Assert.Equal(SecurityProtocolType.Tls13, TlsProtocols.Tls13);
    }
}
