using System.Collections.Generic;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Invocation;

/// <summary>Edit-TuZiImage: every image into one request (the default), or one request per image.</summary>
public sealed class EditCommand : ImageCommand
{
    private readonly bool _separately;
    private readonly string _prompt;
    private readonly ImageSettings _settings;
    private readonly string? _mask;
    private readonly List<InputImage> _gathered = new();
    private readonly List<TuZiImagesException> _unusable = new();
    private InputImage? _maskImage;
    private bool _maskChecked;

    public EditCommand(IInvocationHost host, TuZiClientOptions options, int throttleLimit, string currentDirectory,
        string prompt, string? maskPath, ImageSettings settings, bool separately)
        : base(host, options, throttleLimit, currentDirectory)
    {
        _prompt = prompt;
        _mask = maskPath;
        _settings = settings;
        _separately = separately;
    }

    /// <param name="paths">Resolved full paths of the images of one input record.</param>
    /// <param name="unresolved">Paths the cmdlet could not resolve to files, each as the error it is.</param>
    public void Process(IEnumerable<string> paths, IEnumerable<TuZiImagesException>? unresolved = null)
    {
        Guard(() =>
        {
            if (_separately)
            {
                // Each image is a request of its own: a bad one fails alone, named as its target.
                foreach (var problem in unresolved ?? new List<TuZiImagesException>())
                {
                    Host.WriteFailure(problem);
                }
                foreach (string path in paths)
                {
                    Guard(() => Send(new[] { InputImage.FromFile(path) }));
                }
            }
            else
            {
                _unusable.AddRange(unresolved ?? new List<TuZiImagesException>());
                foreach (string path in paths)
                {
                    if (ReadInput(path, _unusable) is { } image)
                    {
                        _gathered.Add(image);
                    }
                }
            }
            Pump();
        });
    }

    protected override void SendGathered()
    {
        if (!_separately && (_gathered.Count > 0 || _unusable.Count > 0))
        {
            Guard(() =>
            {
                var unusable = new List<TuZiImagesException>(_unusable);
                try
                {
                    Mask();
                }
                catch (TuZiImagesException e) when (e.Kind is TuZiErrorKind.InvalidInput)
                {
                    unusable.Add(e);
                }
                RefuseUnusable(_prompt, unusable);
                Send(_gathered);
            }, _prompt);
        }
    }

    private void Send(IReadOnlyList<InputImage> images)
    {
        var request = new EditRequest { Prompt = _prompt, Mask = Mask() };
        request.Images.AddRange(images);
        Apply(request, _settings);
        var save = SaveFor(_settings, _separately ? System.IO.Path.GetFileNameWithoutExtension(images[0].FileName) + " " + _prompt : _prompt, request);
        if (SkipIfSaved(_settings, request, save, "Edit"))
        {
            return;
        }
        Submit(request, images.Count == 1 ? "Edit image" : $"Edit {images.Count} images together",
            token => Client.EditAsync(request, save, token));
    }

    /// <summary>The mask is checked once; a bad mask fails every request that would carry it.</summary>
    private InputImage? Mask()
    {
        if (_mask is null)
        {
            return null;
        }
        if (!_maskChecked)
        {
            _maskChecked = true;
            try
            {
                _maskImage = InputImage.FromFile(_mask);
            }
            catch (TuZiImagesException e)
            {
                throw TuZiImagesException.InvalidInput("The mask cannot be used: " + e.Message, _mask);
            }
        }
        return _maskImage ?? throw TuZiImagesException.InvalidInput($"The mask '{_mask}' cannot be used.", _mask);
    }
}
