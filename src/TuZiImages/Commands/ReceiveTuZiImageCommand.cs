using System.Management.Automation;
using TuZiImages.Core;
using TuZiImages.Core.Invocation;

namespace TuZiImages.Commands;

/// <summary>
/// Receive-TuZiImage: picks up a task of the async models by its id (from a result, an error record, another
/// session or machine), polls it until it is done, then downloads and saves its image as New-TuZiImage would.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "TuZiImage")]
[OutputType(typeof(TuZiImageResult))]
public sealed class ReceiveTuZiImageCommand : TuZiCommandBase
{
    /// <summary>
    /// The task's id. Binds from the pipeline as text, or by property name: a result's TaskId, or an error
    /// record's (the module gives error records of pending tasks a TaskId property).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [TaskIdTransformation]
    public string TaskId { get; set; } = "";

    /// <summary>Save to this file.</summary>
    [Parameter]
    public string? OutFile { get; set; }

    protected override ImageCommand CreateCommand(TuZiClientOptions options, string currentDirectory) =>
        new ReceiveCommand(this, options, ThrottleLimit, currentDirectory, ResolveOutFile(OutFile), ResolveOutputPath(OutDirectory), Force, Metadata);

    protected override void ProcessRecord() => ((ReceiveCommand)Command).Process(TaskId);
}
