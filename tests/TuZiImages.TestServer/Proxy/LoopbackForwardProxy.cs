using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.TestServer.Proxy;

/// <summary>What the proxy saw of one request: a CONNECT tunnel or a plain-http request in absolute form.</summary>
public sealed record ProxiedRequest(string Method, string Target, string Host, bool AuthorizationInClear, bool ProxyAuthorization, int Status);

/// <summary>
/// A small forward proxy on 127.0.0.1, as a corporate one behaves: CONNECT host:port opens a tunnel (the proxy
/// then sees only encrypted bytes); a plain-http request in absolute form is forwarded, and the proxy reads its
/// headers, Authorization included. With <see cref="RequiredCredential"/> set it answers 407 until a Basic
/// Proxy-Authorization matches. It records what it saw, and scans every byte it carried for the marker given
/// (the API key) to tell whether that crossed it in clear.
/// </summary>
public sealed class LoopbackForwardProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ProxiedRequest> _requests = new();
    private readonly List<Task> _connections = new();
    private readonly Task _accepting;
    private readonly string? _secret;
    private int _secretSightings;

    /// <param name="secret">Text to look for in every byte the proxy carries in either direction (the API key).</param>
    public LoopbackForwardProxy(string? secret = null)
    {
        _secret = secret;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>"user:password" the proxy demands (Basic) before it forwards anything; null lets everyone through.</summary>
    public string? RequiredCredential { get; init; }

    /// <summary>With <see cref="RequiredCredential"/>: demand it only for requests to this host:port (a proxy rule for one site).</summary>
    public string? RequiredOnlyFor { get; init; }

    public IReadOnlyList<ProxiedRequest> Requests => _requests.ToArray();

    /// <summary>How many times the secret passed through the proxy readable, in any request or answer.</summary>
    public int SecretSightings => Volatile.Read(ref _secretSightings);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, _stop.Token);
                if (head is null)
                {
                    return;
                }
                CountSecret(head);
                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                string method = requestLine[0], target = requestLine[1];
                var headers = lines.Skip(1).Where(l => l.Length > 0)
                    .Select(l => (Name: l[..l.IndexOf(':')].Trim(), Value: l[(l.IndexOf(':') + 1)..].Trim())).ToList();
                bool authorization = headers.Any(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
                string? proxyAuthorization = headers.FirstOrDefault(h => h.Name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)).Value;
                bool connect = method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase);
                Uri? absolute = connect ? null : new Uri(target);
                string host = connect ? target : absolute!.Authority;

                if (RequiredCredential is not null && (RequiredOnlyFor is null || RequiredOnlyFor == host) && proxyAuthorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(RequiredCredential)))
                {
                    _requests.Enqueue(new ProxiedRequest(method, target, host, authorization, proxyAuthorization is not null, 407));
                    await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"loopback-proxy\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                _requests.Enqueue(new ProxiedRequest(method, target, host, authorization, proxyAuthorization is not null, 200));

                var (upstreamHost, upstreamPort) = connect ? SplitHostPort(target) : (absolute!.Host, absolute.Port);
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(upstreamHost, upstreamPort, _stop.Token);
                var upstreamStream = upstream.GetStream();
                if (connect)
                {
                    await WriteAsync(stream, "HTTP/1.1 200 Connection Established\r\n\r\n");
                }
                else
                {
                    // Forwarded in origin form, one request per connection: the answer's Connection: close tells the
                    // client not to send a second request down a connection the proxy no longer reads.
                    var forwarded = new StringBuilder($"{method} {absolute!.PathAndQuery} {requestLine[2]}\r\n");
                    foreach (var (name, value) in headers.Where(h => !IsHopByHop(h.Name)))
                    {
                        forwarded.Append(name).Append(": ").Append(value).Append("\r\n");
                    }
                    forwarded.Append("Connection: close\r\n\r\n");
                    await WriteAsync(upstreamStream, forwarded.ToString());
                }
                await Task.WhenAll(PumpAsync(stream, upstreamStream), PumpAsync(upstreamStream, stream));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16384];
        var window = new StringBuilder();
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (_secret is not null)
                {
                    // Tunnelled bytes are scanned too: a key that crossed a tunnel in clear would show here.
                    window.Append(Encoding.Latin1.GetString(buffer, 0, read));
                    CountSecret(window.ToString());
                    if (window.Length > 256)
                    {
                        window.Remove(0, window.Length - 256);
                    }
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                to.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    // Counts each sighting once: the window keeps the tail of what was read so a secret split across reads is found.
    private readonly ConcurrentDictionary<string, byte> _seen = new();

    private void CountSecret(string text)
    {
        if (_secret is null)
        {
            return;
        }
        for (int at = text.IndexOf(_secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(_secret, at + 1, StringComparison.Ordinal))
        {
            string context = text.Substring(Math.Max(0, at - 64), Math.Min(text.Length, at + _secret.Length + 64) - Math.Max(0, at - 64));
            if (_seen.TryAdd(context, 0))
            {
                Interlocked.Increment(ref _secretSightings);
            }
        }
    }

    private static bool IsHopByHop(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase);

    private static (string Host, int Port) SplitHostPort(string authority)
    {
        int colon = authority.LastIndexOf(':');
        return (authority[..colon].Trim('[', ']'), int.Parse(authority[(colon + 1)..]));
    }

    /// <summary>The request head, up to and without the blank line, read byte by byte so nothing of the body is taken.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken token)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, token) == 0)
            {
                return null;
            }
            head.Add(one[0]);
            int n = head.Count;
            if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
            {
                return Encoding.Latin1.GetString(head.ToArray(), 0, n - 4);
            }
            if (n > 65536)
            {
                return null;
            }
        }
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.Latin1.GetBytes(text), _stop.Token).AsTask();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Task[] connections;
        lock (_connections)
        {
            connections = _connections.ToArray();
        }
        try
        {
            await Task.WhenAll(connections.Append(_accepting)).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
        _stop.Dispose();
    }
}
