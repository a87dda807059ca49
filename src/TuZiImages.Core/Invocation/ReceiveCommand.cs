using TuZiImages.Core.Saving;
using TuZiImages.Core.Tasks;

namespace TuZiImages.Core.Invocation;

/// <summary>Receive-TuZiImage: polls tasks of the async models by id, at most the throttle limit at once, and saves their images.</summary>
public sealed class ReceiveCommand : ImageCommand
{
    private readonly string? _outFile;
    private readonly string? _outDirectory;
    private readonly bool _force;
    private readonly Provenance.MetadataMode _metadata;

    /// <param name="outFile">A resolved full path, or null.</param>
    /// <param name="outDirectory">A resolved full path, or null.</param>
    public ReceiveCommand(IInvocationHost host, TuZiClientOptions options, int throttleLimit, string currentDirectory,
        string? outFile, string? outDirectory, bool force, Provenance.MetadataMode metadata = Provenance.MetadataMode.Embed)
        : base(host, options, throttleLimit, currentDirectory)
    {
        _metadata = metadata;
        _outFile = outFile;
        _outDirectory = outDirectory;
        _force = force;
    }

    public void Process(string taskId)
    {
        Guard(() =>
        {
            if (string.IsNullOrWhiteSpace(taskId))
            {
                throw TuZiImagesException.InvalidInput("The task id is empty.", taskId, "Give the TaskId of a result or of an error of an async model.");
            }
            string id = taskId.Trim();
            var save = SaveFor(id);
            Batch.Add($"task {id}", "Receive the image of a task", token => Client.ReceiveTaskAsync(id, save, token));
            Pump();
        });
    }

    protected override void SendGathered()
    {
    }

    /// <summary>
    /// As New-TuZiImage saves: -OutFile, or -OutDirectory (URLs downloaded), or else the URL alone. A journal entry
    /// for the task in the folder gives the file the name its request would have had, so -SkipExisting finds it later.
    /// </summary>
    private SaveOptions SaveFor(string taskId)
    {
        // With both, the cmdlet has already put a relative OutFile inside OutDirectory: the file is what was asked for.
        SaveOptions save;
        if (_outFile is not null)
        {
            save = SaveOptions.ToFile(_outFile);
        }
        else
        {
            string directory = _outDirectory ?? CurrentDirectory;
            string stem = new TaskJournal(System.IO.Path.GetFullPath(directory)).FindTask(taskId)?.FileStem ?? "task-" + FileNaming.Sanitize(taskId);
            save = SaveOptions.ToDirectory(directory, stem);
        }
        save.Overwrite = _force;
        save.CreateFileFolder = _outFile is not null && _outDirectory is not null && FileNaming.IsInside(_outFile, _outDirectory);
        save.Metadata = _metadata;
        save.DownloadUrls = _outFile is not null || _outDirectory is not null;
        save.TaskStatusChanged = Batch.ReportTask;
        save.Validate(createDirectory: false);
        return save;
    }
}
