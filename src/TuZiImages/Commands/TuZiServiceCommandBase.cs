using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using System;
using TuZiImages.Core.Platform;
using TuZiImages.Core.Transport;
using TuZiImages.Core;

namespace TuZiImages.Commands;

/// <summary>
/// Every cmdlet that talks to the service: the connection parameters (the key, the address, time and retries,
/// headers, and the proxy as Invoke-RestMethod takes it), read over the environment's defaults in one place.
/// </summary>
public abstract class TuZiServiceCommandBase : PSCmdlet
{
    [Parameter]
    [SecureStringTransformation]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    public Uri? BaseUri { get; set; }

    /// <summary>Seconds allowed per attempt; 0 waits for ever. Default 600: 4K images take minutes.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; } = (int)TuZiClientOptions.DefaultTimeout.TotalSeconds;

    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetryCount { get; set; } = TuZiClientOptions.DefaultMaxRetries;

    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>
    /// Seconds to keep waiting while the service answers every request with a rate-limit 429 and admits none;
    /// then the waiting requests end as RateLimit errors. Default 300.
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int RateLimitPatienceSec { get; set; } = (int)TuZiClientOptions.DefaultRateLimitPatience.TotalSeconds;

    /// <summary>Further request headers for the API (never Authorization).</summary>
    [Parameter]
    [Alias("AdditionalHeaders")]
    public IDictionary? Header { get; set; }

    /// <summary>A proxy for every request instead of the environment's (as Invoke-RestMethod's -Proxy).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Uri? Proxy { get; set; }

    /// <summary>The user name and password the proxy given with -Proxy asks for.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>Answer the proxy given with -Proxy with the signed-in user's credentials.</summary>
    [Parameter]
    public SwitchParameter ProxyUseDefaultCredentials { get; set; }

    /// <summary>Go to the service directly, whatever proxy the environment names.</summary>
    [Parameter]
    public SwitchParameter NoProxy { get; set; }

    /// <summary>
    /// Runs one step of the command. An exception that another module's copy of a dependency can cause
    /// (Windows PowerShell) ends the command as a DependencyConflict error naming both files, instead of a
    /// "Method not found" that names neither.
    /// </summary>
    protected void ReportingDependencyConflicts(Action step)
    {
        TuZiImagesException? conflict;
        try
        {
            step();
            return;
        }
        catch (Exception e) when ((conflict = DependencyConflicts.Explain(e)) is not null)
        {
        }
        ThrowTerminatingError(ErrorRecords.From(conflict!));
    }

    /// <summary>With -Verbose, the copies of the module's dependencies other modules had loaded before it (Windows PowerShell).</summary>
    protected void WriteDependencyConflicts()
    {
        foreach (var conflict in DependencyConflicts.Current)
        {
            WriteVerbose($"Another module loaded {conflict}. If a command fails with a dependency conflict, see DEPENDENCY CONFLICTS in about_TuZiImages.");
        }
    }

    /// <summary>
    /// The options the parameters say, over TUZI_API_KEY and TUZI_BASE_URL. Not validated here: the client
    /// validates, and a Configuration error says what to fix.
    /// </summary>
    protected TuZiClientOptions BuildOptions()
    {
        var options = TuZiClientOptions.FromEnvironment();
        if (BaseUri is not null)
        {
            options.BaseAddress = TuZiClientOptions.ParseBaseAddress(BaseUri.OriginalString, "-BaseUri");
        }
        if (ApiKey is not null)
        {
            options.ApiKey = new NetworkCredential("", ApiKey).Password;
        }
        options.Timeout = TimeoutSec == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(TimeoutSec);
        options.MaxRetries = MaxRetryCount;
        options.AllowUnencryptedAuthentication = AllowUnencryptedAuthentication;
        options.RateLimitPatience = TimeSpan.FromSeconds(RateLimitPatienceSec);
        options.AdditionalHeaders = PowerShellValues.ToHeaders(Header);
        options.Proxy = new ProxySettings
        {
            Address = Proxy,
            Credential = ProxyCredential?.GetNetworkCredential(),
            UseDefaultCredentials = ProxyUseDefaultCredentials,
            Disabled = NoProxy,
        };
        // The combinations Invoke-RestMethod refuses are refused before anything else is looked at.
        options.Proxy.Validate();
        return options;
    }
}
