using System;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.RateLimits;
using TuZiImages.Core.Retry;
using TuZiImages.Core.Saving;
using TuZiImages.TestServer;

namespace TuZiImages.Tests.Support;

/// <summary>A fake service on loopback, a real folder, and a client pointed at both, for one test.</summary>
public sealed class ClientHarness : IAsyncDisposable, IClientLog
{
    public const string ApiKey = "sk-tuzi-test-5f3c9a7e1b";

    private ClientHarness(FakeTuZiServer server)
    {
        Server = server;
        Gates = new RateGateRegistry(GateClock.System, Backoff.NextJitter, Limits.Path);
    }

    public FakeTuZiServer Server { get; }
    public TempDirectory Folder { get; } = new();
    /// <summary>Where this test's clients share their views of the service's limits with other processes: its own folder, not the user's.</summary>
    public TempDirectory Limits { get; } = new();
    /// <summary>The one view of the service that every client of this harness shares, as the clients of one process do.</summary>
    internal RateGateRegistry Gates { get; }
    public ConcurrentQueue<string> Log { get; } = new();

    public static async Task<ClientHarness> StartAsync(FakeServerOptions? options = null) =>
        new(await FakeTuZiServer.StartAsync(options));

    public TuZiClientOptions Options(Action<TuZiClientOptions>? change = null)
    {
        var options = new TuZiClientOptions
        {
            ApiKey = ApiKey,
            BaseAddress = Server.ApiBaseAddress,
            // Real backoff waits seconds; the behaviour is the same at a hundredth of it.
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryAfter = TimeSpan.FromSeconds(2),
            RateGates = Gates,
        };
        change?.Invoke(options);
        return options;
    }

    public TuZiImagesClient Client(Action<TuZiClientOptions>? change = null) => new(Options(change), this);

    /// <summary>
    /// A batch of generations ("prompt 0", "prompt 1"...) through the cmdlet's command, on a thread of its own
    /// that is its pipeline thread (the host is made there), so the test can release the server's holds while it
    /// runs. <paramref name="started"/> sees the host and command before the first prompt.
    /// </summary>
    public Task<RecordingHost> StartBatch(int throttle, int prompts, Action<TuZiClientOptions>? change = null,
        Action<RecordingHost, GenerateCommand>? started = null) =>
        Task.Factory.StartNew(() =>
        {
            var host = new RecordingHost();
            using var command = new GenerateCommand(host, Options(change), throttle, Folder.Path, promptFromCommandLine: false);
            started?.Invoke(host, command);
            for (int i = 0; i < prompts; i++)
            {
                command.Process($"prompt {i}", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            }
            command.End();
            return host;
        }, TaskCreationOptions.LongRunning);

    /// <summary>
    /// The harness's folder. These tests are about what the wire delivers, so by default the files are the service's
    /// exact bytes (-Metadata None); the tests of the record pass <see cref="MetadataMode.Embed"/>.
    /// </summary>
    public SaveOptions SaveHere(string? stem = null, MetadataMode metadata = MetadataMode.None)
    {
        var save = SaveOptions.ToDirectory(Folder.Path, stem);
        save.Metadata = metadata;
        return save;
    }

    public void Verbose(string message) => Log.Enqueue(message);

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Folder.Dispose();
        Limits.Dispose();
    }
}
