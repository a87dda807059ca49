// netstandard2.0 lacks the marker type that init-only setters need; the compiler only wants it to exist.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
