using System.Linq;
using System.Management.Automation;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core;

namespace TuZiImages.Commands;

/// <summary>
/// New-TuZiImage: POST /v1/images/generations. Each piped prompt is its own request; with -Prompt on the
/// command line, every piped reference image goes into that one request.
/// </summary>
[Cmdlet(VerbsCommon.New, "TuZiImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(TuZiImageResult))]
public sealed class NewTuZiImageCommand : TuZiImageCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Prompt { get; set; } = "";

    /// <summary>Paths (wildcards allowed) or http(s) URLs of images to guide the generation.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Image")]
    public string[]? ReferenceImage { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string? Model { get; set; }

    /// <summary>An empty CSV cell means the row sets no count; a 0 typed or piped is still refused.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("N")]
    [EmptyAsNullTransformation]
    public int? Count { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SizeCompleter))]
    public string? Size { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AspectRatioCompleter))]
    public string? AspectRatio { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(QualityCompleter))]
    public string? Quality { get; set; }

    [Parameter]
    public string? Style { get; set; }

    /// <summary>gpt-image: low or auto.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FieldValueCompleter))]
    public string? Moderation { get; set; }

    /// <summary>
    /// Other parameters by name (Background, OutputFormat, Seed..., AdditionalParameter), as Get-TuZiImageInfo reads
    /// them from an image's record, so piping its objects in makes the same requests again. A parameter given on the
    /// command line wins.
    /// </summary>
    /// <remarks>
    /// A dictionary rather than binding -Background and the like by property name: a result carries the service's
    /// own Background and OutputFormat, which must not bind when results are piped in as reference images.
    /// </remarks>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    public System.Collections.IDictionary? Parameters { get; set; }

    /// <summary>Save to this file; with several images the others are numbered beside it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? OutFile { get; set; }

    protected override BodyEndpoints Endpoint => BodyEndpoints.Generations;

    private System.Collections.Generic.HashSet<string> _commandLineParameters = new();

    protected override ImageCommand CreateCommand(TuZiClientOptions options, string currentDirectory)
    {
        // Only command-line parameters are bound before the first record: that tells the two modes apart.
        _commandLineParameters = new System.Collections.Generic.HashSet<string>(MyInvocation.BoundParameters.Keys, System.StringComparer.OrdinalIgnoreCase);
        return new GenerateCommand(this, options, ThrottleLimit, currentDirectory, _commandLineParameters.Contains(nameof(Prompt)));
    }

    /// <summary>
    /// On Unix, PowerShell gives every piped file a Size property (its byte count), which binds to -Size by
    /// name. A bare number is never an image size, so a -Size that came from the pipeline as one is ignored.
    /// </summary>
    private string? SizeFromThisRecord() =>
        Size is not null && !_commandLineParameters.Contains(nameof(Size)) && Size.Trim().All(char.IsDigit) ? null : FromRecord(Size, nameof(Size));

    /// <summary>
    /// Import-Csv binds an empty cell as "": from the pipeline that means the row does not set it (a CSV with
    /// both Size and AspectRatio columns fills one per row). Typed on the command line, "" is still refused.
    /// </summary>
    private string? FromRecord(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) && !_commandLineParameters.Contains(name) ? null : value;

    protected override void ProcessRecord()
    {
        var references = (ReferenceImage ?? new string[0]).Where(r => Core.Requests.ReferenceImage.IsUrl(r)).ToList();
        var unresolved = new System.Collections.Generic.List<TuZiImagesException>();
        references.AddRange(ResolvePaths(ReferenceImage?.Where(r => !Core.Requests.ReferenceImage.IsUrl(r)), literal: false, unresolved));
        var settings = CommonSettings();
        settings.Model = FromRecord(Model, nameof(Model));
        settings.Count = Count;
        settings.Size = SizeFromThisRecord();
        settings.AspectRatio = FromRecord(AspectRatio, nameof(AspectRatio));
        settings.Quality = FromRecord(Quality, nameof(Quality));
        settings.OutFile = ResolveOutFile(FromRecord(OutFile, nameof(OutFile)));
        foreach (string left in settings.TakeRecorded(PowerShellValues.ToFields(Parameters), Endpoint))
        {
            WriteVerbose($"-Parameters names {left}, which New-TuZiImage does not take: it is left out.");
        }
        ((GenerateCommand)Command).Process(Prompt, references, settings, unresolved);
    }
}
