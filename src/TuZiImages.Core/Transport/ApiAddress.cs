using System;

namespace TuZiImages.Core.Transport;

/// <summary>
/// The service's base address, given with or without a trailing /v1 (OpenAI-style addresses often end in it):
/// the one place that knows both forms are the same service.
/// </summary>
internal sealed class ApiAddress
{
    private const string Version = "/v1";

    private readonly string _root;
    private readonly bool _endsInVersion;

    public ApiAddress(Uri baseAddress)
    {
        _root = baseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _endsInVersion = _root.EndsWith(Version, StringComparison.OrdinalIgnoreCase);
        Service = _endsInVersion ? _root.Substring(0, _root.Length - Version.Length) : _root;
    }

    /// <summary>https://api.tu-zi.com, https://api.tu-zi.com/ and https://api.tu-zi.com/v1 alike: the service without /v1.</summary>
    public string Service { get; }

    /// <summary>An endpoint ("/v1/models") under the base address, its /v1 not doubled when the address has it.</summary>
    public Uri EndpointFor(string endpointPath) =>
        new(_root + (_endsInVersion && endpointPath.StartsWith(Version + "/", StringComparison.OrdinalIgnoreCase)
            ? endpointPath.Substring(Version.Length)
            : endpointPath));
}
