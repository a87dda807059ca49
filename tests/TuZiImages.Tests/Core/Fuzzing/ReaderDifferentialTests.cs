using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using System;
using CsCheck;
using TuZiImages.Core.Responses;
using TuZiImages.Core.Saving;
using Xunit.Abstractions;

namespace TuZiImages.Tests.Core.Fuzzing;

/// <summary>
/// The response reader against System.Text.Json and Convert.FromBase64String, on random answers read in random
/// chunks: the same URLs, prompts and bytes on disk, or the same refusal. Broken answers end, within a time
/// bound, in success or the malformed-answer failure (InvalidDataException), and leave no temporary file.
/// CI runs a few thousand cases; TUZI_FUZZ_ITERATIONS=200000 runs more. A failure prints its seed (replay with
/// CsCheck_Seed=...) and the shrunk answer.
/// </summary>
public class ReaderDifferentialTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(30);

    private static int Iterations(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("TUZI_FUZZ_ITERATIONS"), out int asked) && asked > 0 ? asked : ci;

    [Fact]
    public void Valid_answers_read_as_JsonDocument_and_Convert_read_them()
    {
        using var root = new FuzzFolder();
        Answers.Case.Sample(c =>
        {
            byte[] bytes = c.Bytes();
            var expected = ReaderOracle.Expect(bytes);
            Assert.True(expected is not null, "the generator made text JsonDocument refuses");
            Assert.True(expected!.FailsBecause is null, "the generator made an answer that cannot be read: " + expected.FailsBecause);
            Check(bytes, c.ChunkSeed, c.MaxChunk, expected, root);
        }, iter: Iterations(2000), writeLine: output.WriteLine);
    }

    [Fact]
    public void Broken_answers_end_in_success_or_the_malformed_failure_and_leave_nothing()
    {
        using var root = new FuzzFolder();
        Answers.Mutated.Sample(c =>
        {
            byte[] bytes = c.Bytes();
            Check(bytes, c.Source.ChunkSeed, c.Source.MaxChunk, ReaderOracle.Expect(bytes), root);
        }, iter: Iterations(3000), writeLine: output.WriteLine);
    }

    /// <summary>Reads the answer; compares it with the expectation when there is one; always checks the folder is left empty.</summary>
    private static void Check(byte[] json, int chunkSeed, int maxChunk, ExpectedAnswer? expected, FuzzFolder root)
    {
        // A folder per thread, not per case: each case must leave it as empty as it found it.
        string folder = Path.Combine(root.Path, "thread-" + Environment.CurrentManagedThreadId);
        Directory.CreateDirectory(folder);
        foreach (string left in Directory.GetFiles(folder))
        {
            File.Delete(left); // by a case that failed: this one must not fail for it
        }
        {
            Exception? failure = null;
            using (var session = new SaveSession(SaveOptions.ToDirectory(folder), DateTime.Now))
            {
                var reading = Task.Run(() => ImageResponseReader.ReadAsync(new ChunkedStream(json, chunkSeed, maxChunk), session, CancellationToken.None));
                try
                {
                    reading.Wait(TimeBound);
                }
                catch (AggregateException)
                {
                    // Looked at below.
                }
                Assert.True(reading.IsCompleted, $"the reader did not end within {TimeBound.TotalSeconds} s");
                ParsedResponse? parsed = null;
                try
                {
                    parsed = reading.GetAwaiter().GetResult();
                }
                catch (InvalidDataException e)
                {
                    failure = e;
                }
                if (expected is { FailsBecause: null } && parsed is not null)
                {
                    Compare(expected, parsed);
                }
            }
            if (expected is { FailsBecause: { } why } && failure is null)
            {
                throw new Xunit.Sdk.XunitException($"Read an answer that must be refused ({why})");
            }
            if (expected is { FailsBecause: null } && failure is not null)
            {
                throw new Xunit.Sdk.XunitException($"Refused an answer JsonDocument and Convert read: {failure.Message}");
            }
            Assert.Empty(Directory.GetFiles(folder));
        }
    }

    private static void Compare(ExpectedAnswer expected, ParsedResponse actual)
    {
        Assert.Equal(expected.HasData, actual.HasData);
        Assert.Equal(expected.Items.Count, actual.Items.Count);
        if (expected.Created is null || actual.Created is null)
        {
            Assert.Equal(expected.Created, actual.Created);
        }
        else
        {
            Assert.InRange((actual.Created.Value - expected.Created.Value).Duration().TotalMilliseconds, 0, 1);
        }
        Assert.Equal(expected.ErrorMessage, actual.ErrorMessage);
        Assert.Equal(expected.ErrorType, actual.ErrorType);
        Assert.Equal(expected.ErrorCode, actual.ErrorCode);
        for (int i = 0; i < expected.Items.Count; i++)
        {
            var want = expected.Items[i];
            var got = actual.Items[i];
            Assert.Equal(want.Url, got.Url);
            Assert.Equal(want.RevisedPrompt, got.RevisedPrompt);
            if (want.Bytes is null)
            {
                Assert.Null(got.File);
            }
            else
            {
                Assert.NotNull(got.File);
                Assert.Equal(want.Bytes.Length, got.File!.Length);
                Assert.True(want.Bytes.AsSpan().SequenceEqual(File.ReadAllBytes(got.File.TempPath)), $"image {i + 1} has other bytes on disk");
            }
        }
    }
}

/// <summary>
/// Where the fuzzed answers' files go: memory-backed /dev/shm where there is one, since thousands of cases
/// create and delete thousands of real files, at a tenth of the cost of a loaded disk; the temp folder elsewhere.
/// </summary>
internal sealed class FuzzFolder : IDisposable
{
    public FuzzFolder()
    {
        string parent = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(parent, "tuzi-fuzz-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tuzi-fuzz-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A stream over bytes that hands out 1 to maxChunk of them per read, at random from a seed, as a network does
/// (but in no more than about 500 reads: byte by byte, a large image would only make the test slow).
/// </summary>
internal sealed class ChunkedStream(byte[] data, int seed, int maxChunk) : Stream
{
    private readonly Random _random = new(seed);
    private readonly int _maxChunk = Math.Max(maxChunk, data.Length / 500);
    private int _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, data.Length - _position), _random.Next(1, _maxChunk + 1));
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _random.Next(32) == 0 ? ReadLaterAsync(buffer, offset, count) : Task.FromResult(Read(buffer, offset, count));

    private async Task<int> ReadLaterAsync(byte[] buffer, int offset, int count)
    {
        await Task.Yield(); // now and then an answer is not there yet: the reader must resume where it was
        return Read(buffer, offset, count);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = Math.Min(Math.Min(buffer.Length, data.Length - _position), _random.Next(1, _maxChunk + 1));
        data.AsSpan(_position, n).CopyTo(buffer.Span);
        _position += n;
        return new ValueTask<int>(n);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
