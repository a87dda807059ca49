using System;
using System.Collections;
using System.Net;
using System.Security;
using TuZiImages.Core;

namespace TuZiImages;

/// <summary>
/// The connection parameters every cmdlet has (-BaseUri, -ApiKey, -TimeoutSec, -MaxRetryCount,
/// -AllowUnencryptedAuthentication, -Header), read over the environment's defaults in one place.
/// </summary>
internal static class ConnectionParameters
{
    public static TuZiClientOptions Read(Uri? baseUri, SecureString? apiKey, int timeoutSec, int maxRetryCount,
        bool allowUnencryptedAuthentication, IDictionary? header)
    {
        var options = TuZiClientOptions.FromEnvironment();
        if (baseUri is not null)
        {
            options.BaseAddress = TuZiClientOptions.ParseBaseAddress(baseUri.OriginalString, "-BaseUri");
        }
        if (apiKey is not null)
        {
            options.ApiKey = new NetworkCredential("", apiKey).Password;
        }
        options.Timeout = timeoutSec == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(timeoutSec);
        options.MaxRetries = maxRetryCount;
        options.AllowUnencryptedAuthentication = allowUnencryptedAuthentication;
        options.AdditionalHeaders = PowerShellValues.ToHeaders(header);
        return options;
    }
}
