using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace TuZiImages.Core.Results;

/// <summary>
/// Full paths of files a result names (its inputs, its previews). A list to scripts and to ConvertTo-Json, and in
/// text (Export-Csv, string interpolation) the paths themselves, joined with "; ", rather than a type name.
/// </summary>
public sealed class PathList : ReadOnlyCollection<string>
{
    public static readonly PathList Empty = new(new string[0]);

    public PathList(IList<string> paths)
        : base(paths)
    {
    }

    public override string ToString() => string.Join("; ", this);
}
