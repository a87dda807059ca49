using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.TestServer;

/// <summary>
/// Runs the fake by hand:
/// <c>dotnet run --project tests/TuZiImages.TestServer -- --port 5055 --result-port 5056 [--api-key KEY] [--latency-ms N]</c>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!CommandLine.TryParse(args, out CommandLine? commandLine, out string? error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(CommandLine.Usage);
            return 2;
        }

        if (commandLine.ShowHelp)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        FakeTuZiServer server;
        try
        {
            server = await FakeTuZiServer.StartAsync(commandLine.Options);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"Could not listen: {ex.Message}");
            return 1;
        }

        await using (server)
        {
            PrintBanner(server, commandLine);
            if (commandLine.ExitOnStdinClose)
            {
                WatchStandardInput(stop);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine("Stopping.");
        }

        return 0;
    }

    private static void PrintBanner(FakeTuZiServer server, CommandLine commandLine)
    {
        string api = server.ApiBaseAddress.AbsoluteUri.TrimEnd('/');
        string results = server.ResultBaseAddress.AbsoluteUri.TrimEnd('/');
        string key = commandLine.Options.ExpectedApiKey ?? "test-key";
        Console.WriteLine("Fake tu-zi images service");
        Console.WriteLine($"  API:     {api}/");
        Console.WriteLine($"  Results: {results}/");
        Console.WriteLine(commandLine.Options.ExpectedApiKey is null ? "  Any non-empty bearer key is accepted." : $"  Only the key '{key}' is accepted.");
        if (commandLine.Options.LatencyMs > 0)
        {
            Console.WriteLine($"  Every images request waits {commandLine.Options.LatencyMs} ms.");
        }

        if (commandLine.Options.RateLimit?.AdmitAtOnce is { } admit)
        {
            Console.WriteLine($"  At most {admit} images requests are handled at once; more are answered 429 with Retry-After: 1.");
        }

        Console.WriteLine();
        Console.WriteLine("Point the module at it (PowerShell):");
        Console.WriteLine($"  $env:TUZI_BASE_URL = '{api}'; $env:TUZI_API_KEY = '{key}'");
        Console.WriteLine();
        Console.WriteLine($"Faults: put [fault:429] in a prompt, or POST a FaultSpec to {api}/_control/faults.");
        Console.WriteLine($"Recorded requests: {api}/_control/requests. Ctrl+C stops.");
        Console.WriteLine($"TUZI_TEST_SERVER api={api} results={results}");
        Console.Out.Flush();
    }

    /// <summary>A parent process that dies without signalling closes our stdin; that is the cue to go.</summary>
    private static void WatchStandardInput(CancellationTokenSource stop)
    {
        var thread = new Thread(() =>
        {
            using Stream stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (stdin.Read(buffer, 0, buffer.Length) > 0)
            {
            }

            stop.Cancel();
        })
        {
            IsBackground = true,
            Name = "stdin watcher",
        };
        thread.Start();
    }

    private sealed class CommandLine
    {
        public const string Usage =
            "Usage: TuZiImages.TestServer [--port N] [--result-port N] [--api-key KEY] [--latency-ms N] [--admit-at-once K] [--task-ms N] [--ignore-size] [--late-usage] [--no-billing] [--exit-on-stdin-close] [--quiet]\n"
            + "  --port N               API port on 127.0.0.1 (default 5055; 0 picks a free one)\n"
            + "  --result-port N        result-file port (default: port + 1, or 0 when port is 0)\n"
            + "  --api-key KEY          accept only this bearer key (default: any non-empty key)\n"
            + "  --latency-ms N         delay every images request by N ms\n"
            + "  --admit-at-once K      handle at most K images requests at once; answer 429 (Retry-After: 1) past that\n"
            + "  --task-ms N            how long a task of the async models takes (default 1000)\n"
            + "  --ignore-size          make every image 1024x1024 whatever size was asked, as the service at times does\n"
            + "  --late-usage           record usage only when POST /_control/billing/release says so, as a deployment that updates it late\n"
            + "  --no-billing           no billing endpoints and no /api/pricing (404), as many OpenAI-compatible services\n"
            + "  --exit-on-stdin-close  stop when standard input closes\n"
            + "  --quiet                no per-request log lines";

        public FakeServerOptions Options { get; } = new() { Quiet = false, ApiPort = 5055 };

        public bool ExitOnStdinClose { get; private set; }

        public bool ShowHelp { get; private set; }

        public static bool TryParse(string[] args, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CommandLine? commandLine, out string? error)
        {
            commandLine = new CommandLine();
            error = null;
            int? resultPort = null;
            for (int i = 0; i < args.Length; i++)
            {
                string arg = args[i];
                switch (arg)
                {
                    case "--port":
                        if (!TryPort(args, ref i, out int port, out error))
                        {
                            return false;
                        }

                        commandLine.Options.ApiPort = port;
                        break;
                    case "--result-port":
                        if (!TryPort(args, ref i, out int result, out error))
                        {
                            return false;
                        }

                        resultPort = result;
                        break;
                    case "--api-key":
                        if (i + 1 >= args.Length || args[i + 1].Length == 0)
                        {
                            error = "--api-key needs a value.";
                            return false;
                        }

                        commandLine.Options.ExpectedApiKey = args[++i];
                        break;
                    case "--latency-ms":
                        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int latency))
                        {
                            error = "--latency-ms needs a non-negative integer.";
                            return false;
                        }

                        commandLine.Options.LatencyMs = latency;
                        i++;
                        break;
                    case "--task-ms":
                        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int taskMs))
                        {
                            error = "--task-ms needs a non-negative integer.";
                            return false;
                        }

                        commandLine.Options.TaskDurationMs = taskMs;
                        i++;
                        break;
                    case "--admit-at-once":
                        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int admit))
                        {
                            error = "--admit-at-once needs a non-negative integer.";
                            return false;
                        }

                        commandLine.Options.RateLimit = new RateLimitMode { AdmitAtOnce = admit };
                        i++;
                        break;
                    case "--exit-on-stdin-close":
                        commandLine.ExitOnStdinClose = true;
                        break;
                    case "--ignore-size":
                        commandLine.Options.IgnoreSize = true;
                        break;
                    case "--late-usage":
                        (commandLine.Options.Billing ??= new BillingMode()).LateUsage = true;
                        break;
                    case "--no-billing":
                        (commandLine.Options.Billing ??= new BillingMode()).Endpoints = false;
                        break;
                    case "--quiet":
                        commandLine.Options.Quiet = true;
                        break;
                    case "-h" or "--help" or "-?":
                        commandLine.ShowHelp = true;
                        break;
                    default:
                        error = $"Unknown argument '{arg}'.";
                        return false;
                }
            }

            int apiPort = commandLine.Options.ApiPort;
            commandLine.Options.ResultPort = resultPort ?? (apiPort == 0 ? 0 : apiPort + 1);
            return true;
        }

        private static bool TryPort(string[] args, ref int i, out int port, out string? error)
        {
            error = null;
            if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535)
            {
                i++;
                return true;
            }

            port = 0;
            error = $"{args[i]} needs a port number (0-65535).";
            return false;
        }
    }
}
