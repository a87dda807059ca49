using System.Collections.Generic;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Invocation;

/// <summary>New-TuZiImage: each prompt its own request, or one prompt with every piped reference image.</summary>
public sealed class GenerateCommand : ImageCommand
{
    private readonly bool _gather;
    private readonly List<ReferenceImage> _gathered = new();
    private readonly List<TuZiImagesException> _gatheredUnusable = new();
    private string? _gatheredPrompt;
    private ImageSettings? _gatheredSettings;

    /// <param name="promptFromCommandLine">
    /// True when -Prompt was given on the command line: piped reference images then all go into one request.
    /// </param>
    public GenerateCommand(IInvocationHost host, TuZiClientOptions options, int throttleLimit, string currentDirectory,
        bool promptFromCommandLine)
        : base(host, options, throttleLimit, currentDirectory)
    {
        _gather = promptFromCommandLine;
    }

    /// <param name="references">http(s)/data URLs and resolved full paths of local files.</param>
    /// <param name="unresolved">References the cmdlet could not resolve to files, each as the error it is.</param>
    public void Process(string prompt, IEnumerable<string> references, ImageSettings settings, IEnumerable<TuZiImagesException>? unresolved = null)
    {
        if (!_gather && string.IsNullOrWhiteSpace(prompt))
        {
            // A blank line of prompts.txt is not a request; a blank -Prompt typed on the command line still is an error.
            Host.WriteVerbose("Skipped a blank prompt from the pipeline (an empty line or cell): nothing was sent for it.");
            Pump();
            return;
        }
        Guard(() =>
        {
            var unusable = new List<TuZiImagesException>(unresolved ?? new List<TuZiImagesException>());
            var resolved = new List<ReferenceImage>();
            foreach (string reference in references)
            {
                if (ReferenceImage.IsUrl(reference))
                {
                    resolved.Add(ReferenceImage.FromUrl(reference));
                }
                else if (ReadInput(reference, unusable) is { } file)
                {
                    resolved.Add(ReferenceImage.FromFile(file));
                }
            }
            if (_gather)
            {
                _gatheredPrompt = prompt;
                _gatheredSettings = settings.Clone();
                _gathered.AddRange(resolved);
                _gatheredUnusable.AddRange(unusable);
            }
            else
            {
                RefuseUnusable(prompt, unusable);
                Send(prompt, resolved, settings);
            }
            Pump();
        }, prompt);
    }

    protected override void SendGathered()
    {
        if (_gather && _gatheredPrompt is { } prompt)
        {
            Guard(() =>
            {
                RefuseUnusable(prompt, _gatheredUnusable);
                Send(prompt, _gathered, _gatheredSettings!);
            }, prompt);
        }
    }

    private void Send(string prompt, IEnumerable<ReferenceImage> references, ImageSettings settings)
    {
        var request = new GenerationRequest { Prompt = prompt };
        request.ReferenceImages.AddRange(references);
        Apply(request, settings);
        var save = SaveFor(settings, prompt, request);
        if (SkipIfSaved(settings, request, save, "Generate"))
        {
            return;
        }
        Submit(request, "Generate image", token => Client.GenerateAsync(request, save, token));
    }
}
