using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace TuZiImages.Bench;

/// <summary>The fake service in its own process, so its buffers never count against the client's memory.</summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly HttpClient Control = new();
    private readonly Process _process;

    private ServerProcess(Process process, Uri api)
    {
        _process = process;
        ApiBaseAddress = api;
    }

    public Uri ApiBaseAddress { get; }

    public static ServerProcess Start()
    {
        string directory = typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestServerDirectory").Value!;
        string dll = Path.Combine(directory, "TuZiImages.TestServer.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The test server is not built at {dll}.");
        }
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --port 0 --result-port 0 --quiet --exit-on-stdin-close")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var match = Regex.Match(line, @"^TUZI_TEST_SERVER api=(\S+)");
            if (match.Success)
            {
                _ = process.StandardOutput.ReadToEndAsync(); // keep the pipe drained
                return new ServerProcess(process, new Uri(match.Groups[1].Value));
            }
        }
        throw new InvalidOperationException("The test server exited before saying where it listens.");
    }

    public async Task ResetAsync() =>
        (await Control.PostAsync(new Uri(ApiBaseAddress, "_control/reset"), null)).EnsureSuccessStatusCode();

    /// <summary>Queues a fault (a FaultSpec as JSON), e.g. a delay for every request.</summary>
    public async Task FaultAsync(string json) =>
        (await Control.PostAsync(new Uri(ApiBaseAddress, "_control/faults"), new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

    /// <summary>Every images request the server recorded since the last reset, as the JSON of /_control/requests.</summary>
    public async Task<string> RequestsJsonAsync() => await Control.GetStringAsync(new Uri(ApiBaseAddress, "_control/requests"));

    /// <summary>Sets the rate-limit mode (a RateLimitMode as JSON), e.g. admit at most 4 requests at once.</summary>
    public async Task RateLimitAsync(string json) =>
        (await Control.PostAsync(new Uri(ApiBaseAddress, "_control/ratelimit"), new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

    /// <summary>Sets how the task API's tasks behave (a TaskMode as JSON), e.g. 10 s each.</summary>
    public async Task TaskModeAsync(string json) =>
        (await Control.PostAsync(new Uri(ApiBaseAddress, "_control/tasks"), new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

    /// <summary>Submissions, polls and tasks of the task API since the server started, as the JSON of /_control/tasks.</summary>
    public async Task<string> TasksAsync() => await Control.GetStringAsync(new Uri(ApiBaseAddress, "_control/tasks"));

    public async Task<string> StatsAsync() => await Control.GetStringAsync(new Uri(ApiBaseAddress, "_control/stats"));

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
