namespace TuZiImages.Core;

/// <summary>Where the client tells what it is doing. May be called from any thread; never given the key.</summary>
public interface IClientLog
{
    void Verbose(string message);
}
