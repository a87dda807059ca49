using System;
using System.IO;
using System.Linq;

namespace TuZiImages.Tests.Support;

/// <summary>A real folder per test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tuzi-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());

    /// <summary>Every file name in the folder, hidden temporary files included.</summary>
    public string[] FileNames() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n).ToArray()!;

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

/// <summary>A stream that hands out at most a few bytes per read, as a slow socket does.</summary>
public sealed class TricklingStream : MemoryStream
{
    private readonly int _maxPerRead;

    public TricklingStream(byte[] data, int maxPerRead) : base(data) => _maxPerRead = maxPerRead;

    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, _maxPerRead));

    public override System.Threading.Tasks.Task<int> ReadAsync(byte[] buffer, int offset, int count, System.Threading.CancellationToken cancellationToken) =>
        System.Threading.Tasks.Task.FromResult(Read(buffer, offset, count));

    public override System.Threading.Tasks.ValueTask<int> ReadAsync(Memory<byte> buffer, System.Threading.CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span.Slice(0, Math.Min(buffer.Length, _maxPerRead))));
}
