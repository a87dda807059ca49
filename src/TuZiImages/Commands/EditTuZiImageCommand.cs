using System.Management.Automation;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core;

namespace TuZiImages.Commands;

/// <summary>
/// Edit-TuZiImage: POST /v1/images/edits. Every image given or piped goes into one request (merge them);
/// -Separately sends one request per image instead, concurrently.
/// </summary>
[Cmdlet(VerbsData.Edit, "TuZiImage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TuZiImageResult))]
public sealed class EditTuZiImageCommand : TuZiImageCommandBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0)]
    [AllowEmptyString]
    public string Prompt { get; set; } = "";

    /// <summary>Images to edit; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>A PNG whose transparent pixels mark the area to edit.</summary>
    [Parameter]
    public string? Mask { get; set; }

    /// <summary>One request per image, run concurrently, instead of one request with every image.</summary>
    [Parameter]
    [Alias("PerImage")]
    public SwitchParameter Separately { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string? Model { get; set; }

    [Parameter]
    [Alias("N")]
    public int? Count { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(SizeCompleter))]
    public string? Size { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(AspectRatioCompleter))]
    public string? AspectRatio { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(QualityCompleter))]
    public string? Quality { get; set; }

    /// <summary>gpt-image: high or low, how closely the edit keeps the input's details.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FieldValueCompleter))]
    public string? InputFidelity { get; set; }

    /// <summary>Save to this file; with several images the others are numbered beside it.</summary>
    [Parameter]
    public string? OutFile { get; set; }

    protected override BodyEndpoints Endpoint => BodyEndpoints.Edits;

    protected override ImageCommand CreateCommand(TuZiClientOptions options, string currentDirectory)
    {
        var settings = CommonSettings();
        settings.Model = Model;
        settings.Count = Count;
        settings.Size = Size;
        settings.AspectRatio = AspectRatio;
        settings.Quality = Quality;
        settings.OutFile = ResolveOutFile(OutFile);
        string? mask = Mask is null ? null : GetUnresolvedProviderPathFromPSPath(Mask);
        return new EditCommand(this, options, ThrottleLimit, currentDirectory, Prompt, mask, settings, Separately);
    }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        var unresolved = new System.Collections.Generic.List<TuZiImagesException>();
        var paths = ResolvePaths(literal ? LiteralPath : Path, literal, unresolved);
        ((EditCommand)Command).Process(paths, unresolved);
    }
}
