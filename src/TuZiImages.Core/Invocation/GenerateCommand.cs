using System.Collections.Generic;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Invocation;

/// <summary>New-TuZiImage: each prompt its own request, or one prompt with every piped reference image.</summary>
public sealed class GenerateCommand : ImageCommand
{
    private readonly bool _gather;
    private readonly List<ReferenceImage> _gathered = new();
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
    public void Process(string prompt, IEnumerable<string> references, ImageSettings settings)
    {
        Guard(() =>
        {
            var resolved = new List<ReferenceImage>();
            foreach (string reference in references)
            {
                if (ReferenceImage.IsUrl(reference))
                {
                    resolved.Add(ReferenceImage.FromUrl(reference));
                }
                else if (TryInput(reference) is { } file)
                {
                    resolved.Add(ReferenceImage.FromFile(file));
                }
            }
            if (_gather)
            {
                _gatheredPrompt = prompt;
                _gatheredSettings = settings.Clone();
                _gathered.AddRange(resolved);
            }
            else
            {
                Send(prompt, resolved, settings);
            }
            Pump();
        });
    }

    protected override void SendGathered()
    {
        if (_gather && _gatheredPrompt is not null)
        {
            Guard(() => Send(_gatheredPrompt, _gathered, _gatheredSettings!));
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
