using System.Management.Automation;
using TuZiImages.Core;
using TuZiImages.Core.Provenance;

namespace TuZiImages.Commands;

/// <summary>
/// Get-TuZiImageInfo: how an image was made, read from the record New-, Edit- and Receive-TuZiImage write into it
/// (or its sidecar), or from what another tool wrote. Files and results pipe in; the objects pipe on into
/// New-TuZiImage, whose parameters their properties are named after.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TuZiImageInfo", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TuZiImageInfo))]
public sealed class GetTuZiImageInfoCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Images to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>Images to read, taken as written; files and results bind here by PSPath or FullName.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    public string[]? LiteralPath { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string file in ProviderPaths.Resolve(this, literal ? LiteralPath : Path, literal, Fail))
        {
            try
            {
                WriteObject(WithParameters(ImageInfoReader.Read(file)));
            }
            catch (TuZiImagesException e)
            {
                Fail(e);
            }
        }
    }

    private void Fail(TuZiImagesException failure) => WriteError(ErrorRecords.From(failure));

    /// <summary>Each parameter the record names (Background, Seed...) is also a property of its own, for reading; New-TuZiImage takes them through -Parameters.</summary>
    private static PSObject WithParameters(TuZiImageInfo info)
    {
        var wrapped = new PSObject(info);
        foreach (var parameter in info.Parameters)
        {
            if (wrapped.Properties[parameter.Key] is null)
            {
                wrapped.Properties.Add(new PSNoteProperty(parameter.Key, parameter.Value));
            }
        }
        return wrapped;
    }
}
