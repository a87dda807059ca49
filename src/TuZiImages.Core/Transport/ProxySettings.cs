using System;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace TuZiImages.Core.Transport;

/// <summary>
/// Which proxy the module's requests go through, as Invoke-RestMethod decides it: the environment's proxy by
/// default (HTTPS_PROXY / HTTP_PROXY / NO_PROXY in PowerShell 7, the system proxy on Windows), none with -NoProxy,
/// or the one given with -Proxy, with -ProxyCredential or -ProxyUseDefaultCredentials. API requests and image
/// downloads use the same one, as a browser would; only API requests carry the key.
/// </summary>
public sealed class ProxySettings
{
    /// <summary>The environment's proxy.</summary>
    public static readonly ProxySettings Default = new();

    /// <summary>-Proxy: every request goes through it, loopback ones too (as Invoke-RestMethod sends them).</summary>
    public Uri? Address { get; init; }

    /// <summary>-ProxyCredential: answers the proxy's 407. Never the API key.</summary>
    public NetworkCredential? Credential { get; init; }

    /// <summary>-ProxyUseDefaultCredentials: the signed-in user's credentials (Negotiate, NTLM) for the proxy.</summary>
    public bool UseDefaultCredentials { get; init; }

    /// <summary>-NoProxy: straight to the host, whatever the environment says.</summary>
    public bool Disabled { get; init; }

    /// <summary>Throws a Configuration error for a combination Invoke-RestMethod refuses too, or an unusable address.</summary>
    public void Validate()
    {
        if (Disabled && (Address is not null || Credential is not null || UseDefaultCredentials))
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration,
                "-NoProxy cannot be combined with -Proxy, -ProxyCredential or -ProxyUseDefaultCredentials: it sends requests to the host directly.")
            {
                Target = "NoProxy", RecommendedAction = "Give -NoProxy alone, or -Proxy (with its credentials) without -NoProxy.",
            };
        }
        if (Credential is not null && UseDefaultCredentials)
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration,
                "The following conflicting parameters are given: -ProxyCredential and -ProxyUseDefaultCredentials.")
            {
                Target = "ProxyCredential", RecommendedAction = "Give either -ProxyCredential or -ProxyUseDefaultCredentials, then retry.",
            };
        }
        if (Address is null && (Credential is not null || UseDefaultCredentials))
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration,
                $"{(Credential is not null ? "-ProxyCredential" : "-ProxyUseDefaultCredentials")} is given without -Proxy: credentials are only for a proxy named with -Proxy.")
            {
                Target = Credential is not null ? "ProxyCredential" : "ProxyUseDefaultCredentials",
                RecommendedAction = "Give the proxy's address with -Proxy, then retry.",
            };
        }
        if (Address is not null && (!Address.IsAbsoluteUri || string.IsNullOrEmpty(Address.Host) || !IsProxyScheme(Address.Scheme)))
        {
            throw new TuZiImagesException(TuZiErrorKind.Configuration,
                $"The proxy address '{Describe(Address)}' given to -Proxy is not an absolute http, https or socks URL.")
            {
                Target = Describe(Address), RecommendedAction = "Give the proxy as a URL, for example -Proxy http://proxy.example.com:8080.",
            };
        }
    }

    /// <summary>The proxy a request to <paramref name="target"/> goes through; null when it goes direct.</summary>
    public Uri? ProxyFor(Uri target)
    {
        if (Disabled)
        {
            return null;
        }
        IWebProxy? proxy = Address is not null ? CreateExplicitProxy() : EnvironmentProxy();
        if (proxy is null || proxy.IsBypassed(target))
        {
            return null;
        }
        var through = proxy.GetProxy(target);
        return through is null || through == target ? null : through;
    }

    /// <summary>Scheme, host and port only: a proxy URL from the environment may carry a user name and password.</summary>
    public static string Describe(Uri proxy) =>
        proxy.IsAbsoluteUri ? proxy.Scheme + "://" + proxy.Authority : proxy.OriginalString;

    /// <summary>What tells pooled clients apart: one per proxy and credential, without holding the password as text.</summary>
    internal string PoolKey
    {
        get
        {
            if (Disabled)
            {
                return "direct";
            }
            if (Address is null)
            {
                return "environment";
            }
            string credential = Credential is null ? "" : Credential.Domain + "\\" + Credential.UserName + ":" + Fingerprint(Credential.Password);
            return Address.AbsoluteUri + "|" + credential + "|" + (UseDefaultCredentials ? "default-credentials" : "");
        }
    }

    /// <summary>Sets a handler up to go through this proxy.</summary>
    internal void Apply(System.Net.Http.HttpClientHandler handler)
    {
        if (Disabled)
        {
            handler.UseProxy = false;
            return;
        }
        handler.UseProxy = true;
        if (Address is not null)
        {
            handler.Proxy = CreateExplicitProxy();
        }
    }

    public override string ToString() =>
        Disabled ? "none (-NoProxy)" : Address is null ? "the environment's" : Describe(Address) + (Credential is not null ? " with a credential" : UseDefaultCredentials ? " with the default credentials" : "");

    private WebProxy CreateExplicitProxy()
    {
        var proxy = new WebProxy(Address!) { BypassProxyOnLocal = false };
        if (Credential is not null)
        {
            proxy.Credentials = Credential;
        }
        else if (UseDefaultCredentials)
        {
            proxy.UseDefaultCredentials = true;
        }
        return proxy;
    }

    // What HttpClientHandler uses when it is given no proxy: in .NET Framework, WebRequest.DefaultWebProxy (the
    // system's unless configured); in .NET, HttpClient.DefaultProxy, which GetSystemWebProxy returns there.
    private static IWebProxy? EnvironmentProxy()
    {
        try
        {
            return Platform.HostSupport.IsNetFramework ? WebRequest.DefaultWebProxy : WebRequest.GetSystemWebProxy();
        }
        catch (Exception e) when (e is PlatformNotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsProxyScheme(string scheme) =>
        scheme is "http" or "https" or "socks4" or "socks4a" or "socks5";

    private static string Fingerprint(string password)
    {
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(password)));
    }
}
