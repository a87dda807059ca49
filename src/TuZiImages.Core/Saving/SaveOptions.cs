using System.IO;
using System;
using TuZiImages.Core.Results;

namespace TuZiImages.Core.Saving;

/// <summary>Where the images of one request go, and what may happen to files already there.</summary>
public sealed class SaveOptions
{
    private SaveOptions(string directory, string? filePath, string? fileStem)
    {
        Directory = directory;
        FilePath = filePath;
        FileStem = fileStem;
    }

    /// <summary>The folder the images (and their temporary files) are written in.</summary>
    public string Directory { get; }

    /// <summary>An exact file name asked for, or null to name files after <see cref="FileStem"/>.</summary>
    public string? FilePath { get; }

    /// <summary>The name the files of a directory save start with; null for a time-stamped default.</summary>
    public string? FileStem { get; }

    /// <summary>
    /// For an exact file: create its folder when missing, as an output directory is, because the file is inside the
    /// output directory given (-OutFile relative to -OutDirectory). Off: a missing folder is an error.
    /// </summary>
    public bool CreateFileFolder { get; set; }

    /// <summary>Replace a file already under the chosen name. Off: nothing existing is ever overwritten.</summary>
    public bool Overwrite { get; set; }

    /// <summary>Fetch http(s) URL results to disk. Off: they are returned as URLs and only bytes are saved.</summary>
    public bool DownloadUrls { get; set; } = true;

    /// <summary>Where each image's record goes: into the image (the default), a sidecar, or nowhere.</summary>
    public Provenance.MetadataMode Metadata { get; set; } = Provenance.MetadataMode.Embed;

    /// <summary>Told of each streamed preview once it is saved whole; called on a worker thread.</summary>
    public Action<ImagePreview>? PreviewSaved { get; set; }

    /// <summary>
    /// Async models: poll the task this request left pending in the journal beside the output (-SkipExisting)
    /// instead of submitting it again.
    /// </summary>
    public bool ResumePendingTask { get; set; }

    /// <summary>Async models: told after each poll where the task stands; called on a worker thread.</summary>
    public Action<Tasks.ImageTaskStatus>? TaskStatusChanged { get; set; }

    public static SaveOptions ToDirectory(string directory, string? fileStem = null) =>
        new(Path.GetFullPath(directory), null, string.IsNullOrWhiteSpace(fileStem) ? null : FileNaming.Sanitize(fileStem!));

    /// <summary>Saves to this path; an answer with several images numbers them all beside it instead (name-1.png, name-2.png...).</summary>
    public static SaveOptions ToFile(string filePath)
    {
        string full = Path.GetFullPath(filePath);
        return new SaveOptions(Path.GetDirectoryName(full) ?? full, full, null);
    }

    /// <summary>
    /// Checks the target before anything is sent, so no billed image ends up with nowhere to go. Only with
    /// <paramref name="createDirectory"/> does it change anything: -WhatIf must leave the disk as it was.
    /// </summary>
    public void Validate(bool createDirectory = true)
    {
        if (FilePath is not null)
        {
            if (System.IO.Directory.Exists(FilePath))
            {
                throw TuZiImagesException.InvalidInput($"The output file '{FilePath}' is a directory.", FilePath,
                    "Give a file name, or save into the folder with the output directory instead.");
            }
            if (!System.IO.Directory.Exists(Directory))
            {
                if (!CreateFileFolder)
                {
                    throw TuZiImagesException.InvalidInput($"The folder of the output file '{FilePath}' does not exist.", FilePath,
                        "Create the folder first.");
                }
                if (createDirectory)
                {
                    CreateFolder();
                }
                return; // a new folder holds nothing to overwrite
            }
            // A name without an extension gets the image's, so fox stands for fox.png, fox.jpg...: as -SkipExisting finds them.
            string? existing = File.Exists(FilePath) ? FilePath
                : Path.HasExtension(FilePath) ? null : ExistingOutput.Find(this, 1)?[0];
            if (existing is not null && !Overwrite)
            {
                throw TuZiImagesException.InvalidInput($"The output file '{existing}' already exists.", FilePath,
                    "Use -Force to overwrite it, or give another name.");
            }
            return;
        }
        if (File.Exists(Directory))
        {
            throw TuZiImagesException.InvalidInput($"The output directory '{Directory}' is a file.", Directory);
        }
        if (createDirectory)
        {
            CreateFolder();
        }
    }

    private void CreateFolder()
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw TuZiImagesException.InvalidInput($"The output directory '{Directory}' cannot be created: {e.Message}", Directory);
        }
    }
}
