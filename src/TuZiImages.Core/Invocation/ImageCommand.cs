using System.Collections.Generic;
using System.Linq;
using System;
using TuZiImages.Core.Billing;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Models;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Results;
using TuZiImages.Core.Saving;

namespace TuZiImages.Core.Invocation;

/// <summary>
/// The part of a cmdlet invocation that needs no PowerShell: turning bound values into requests, refusing bad
/// input item by item, choosing where files go, and handing requests to the batch.
/// </summary>
public abstract class ImageCommand : IDisposable
{
    /// <summary>The models not listed by name whose family this command has named in a verbose line.</summary>
    private readonly HashSet<string> _noted = new(StringComparer.OrdinalIgnoreCase);

    protected ImageCommand(IInvocationHost host, TuZiClientOptions options, int throttleLimit, string currentDirectory)
    {
        // Results pass through a host that says what they need said: an ignored size, a record not written.
        Host = new Results.ResultNotesHost(host);
        var clientOptions = options.Clone();
        clientOptions.MaxConcurrency = throttleLimit;
        // Each needs the other: the client logs through the batch (to the pipeline thread), and the batch's progress
        // bar shows the client's view of the service's limits, which it reads only when drawing, after both exist.
        Batch = new ImageBatch(Host, throttleLimit, () => Client!.RateStatus);
        Client = new TuZiImagesClient(clientOptions, Batch.Log);
        CurrentDirectory = currentDirectory;
    }

    private MoneyOptions _money = new();
    private PriceList? _prices;

    protected IInvocationHost Host { get; }
    protected ImageBatch Batch { get; }
    protected TuZiImagesClient Client { get; }
    protected string CurrentDirectory { get; }

    /// <summary>
    /// Call before the first input: a budget, the spending reported at the end, prices named for -WhatIf. Throws a
    /// Configuration error for a budget that cannot be one.
    /// </summary>
    public void UseMoney(MoneyOptions money)
    {
        money.Validate();
        _money = money;
        Batch.Spending = money.ReadsUsage ? new CommandSpending(money.BudgetUsd, token => Client.ReadUsageUsdAsync(token)) : null;
    }

    /// <summary>Call at the end of the input: sends what was gathered, then waits for every request.</summary>
    public void End()
    {
        try
        {
            SendGathered();
        }
        finally
        {
            Batch.Complete();
        }
    }

    /// <summary>Writes results of finished requests; call between input records.</summary>
    public void Pump() => Batch.Pump();

    /// <summary>From StopProcessing, on any thread.</summary>
    public void Stop() => Batch.Cancel();

    protected abstract void SendGathered();

    /// <summary>
    /// Applies the settings shared by both endpoints, each as the model's family takes it; throws InvalidInput for
    /// a bad one, so nothing is paid for a request the model cannot take.
    /// </summary>
    protected void Apply(ImageRequest request, ImageSettings settings)
    {
        if (settings.Size is not null && settings.AspectRatio is not null)
        {
            throw TuZiImagesException.InvalidInput(
                $"Both a size ('{settings.Size}') and an aspect ratio ('{settings.AspectRatio}') were given; the service takes one.",
                request.Prompt, "Give -Size or -AspectRatio, not both.");
        }
        request.Model = string.IsNullOrWhiteSpace(settings.Model) ? null : settings.Model!.Trim();
        request.Count = settings.Count;
        string model = request.Model ?? Client.Model;
        var family = ModelFamilies.Find(model);
        family.RefuseIfRemoved(model, request.Prompt);
        request.Size = family.SizeFor(model, settings.AspectRatio, settings.Size, settings.Quality);
        request.Quality = family.QualityFor(model, settings.Quality);
        Give(request, nameof(settings.Size), settings.Size);
        Give(request, nameof(settings.AspectRatio), settings.AspectRatio);
        Give(request, nameof(settings.Quality), settings.Quality);
        request.PartialImages = settings.PartialImages;
        foreach (var field in settings.Fields)
        {
            if ((field.Key.Endpoints & request.Endpoints) != 0 && field.Key.Value.FromParameter)
            {
                object? value = field.Key.Value.Normalize(field.Value);
                if (value is not null && settings.Recorded.Contains(field.Key) && family.Refuses(model, field.Key, value))
                {
                    // The record was made for another model: what this one cannot take is left out, not refused.
                    Host.WriteVerbose($"The record's -{field.Key.Parameter} '{BodyFields.Text(value)}' is left out: {model} ({family.Name}) does not take it.");
                    continue;
                }
                request[field.Key] = value;
            }
        }
        foreach (var field in settings.AdditionalFields ?? new Dictionary<string, object?>())
        {
            request.AdditionalFields[field.Key] = field.Value;
        }
        request.Validate();
        // What the route or the model cannot take is refused now, before -WhatIf or anything is paid.
        request.Plan(Client.Model);
        NoteFamily(model, family);
    }

    /// <summary>Says once per command which rules a model the table does not list by name was sent by.</summary>
    private void NoteFamily(string model, ModelFamily family)
    {
        if (family.Lists(model) || !_noted.Add(model))
        {
            return;
        }
        Host.WriteVerbose(family.IsKnown
            ? $"{model} is not in the model table; it resembles {family.Name} ({family.Examples}), whose rules were used: its route, "
                + "reference images and translations, with any value that family does not list sent as written."
            : $"{model} is of no family in the model table: every value goes as written, to the images API.");
    }

    /// <summary>The parameters the size and quality fields were worked out from, as typed: the record keeps them for another model.</summary>
    private static void Give(ImageRequest request, string parameter, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            request.GivenParameters[parameter] = value!.Trim();
        }
    }

    /// <summary>
    /// Where a request's images go: the file or folder asked for (URLs downloaded), or else the current folder
    /// for images that come as bytes, with URL results left as URLs. Base64 is never handed back as text.
    /// </summary>
    /// <param name="stemText">What the file names start with (as a slug); the request's identity hash follows it.</param>
    protected SaveOptions SaveFor(ImageSettings settings, string stemText, ImageRequest request)
    {
        // With both, the cmdlet has already put a relative OutFile inside OutDirectory: the file is what was asked for.
        string? stem = settings.OutFile is null ? FileNaming.StemFor(stemText, request.IdentityHash(Client.Model)) : null;
        var save = settings.OutFile is not null ? SaveOptions.ToFile(settings.OutFile)
            : SaveOptions.ToDirectory(settings.OutDirectory ?? CurrentDirectory, stem);
        save.Overwrite = settings.Force;
        save.CreateFileFolder = settings.OutFile is not null && settings.OutDirectory is not null
            && FileNaming.IsInside(settings.OutFile, settings.OutDirectory);
        save.Metadata = settings.Metadata;
        save.DownloadUrls = settings.OutFile is not null || settings.OutDirectory is not null;
        save.ResumePendingTask = settings.SkipExisting;
        save.TaskStatusChanged = Batch.ReportTask;
        save.PreviewSaved = preview => Batch.ReportPreview(
            $"Preview {preview.Number} of '{Excerpt(stemText)}' saved: {preview.FullName} ({ImageRequest.FormatBytes(preview.Length)})");
        if (!settings.SkipExisting)
        {
            save.Validate(createDirectory: false); // the client creates it when the request is really sent
        }
        return save;
    }

    /// <summary>
    /// Checks a local image of a request. One that cannot be used is added to <paramref name="unusable"/> instead,
    /// so that the request can be refused with all of them named (<see cref="RefuseUnusable"/>).
    /// </summary>
    protected static InputImage? ReadInput(string path, List<TuZiImagesException> unusable)
    {
        try
        {
            return InputImage.FromFile(path);
        }
        catch (TuZiImagesException e) when (e.Kind is TuZiErrorKind.InvalidInput)
        {
            unusable.Add(e);
            return null;
        }
    }

    /// <summary>
    /// A request any of whose inputs cannot be used is not sent, not even with the others: it would pay for an
    /// image of something else. Throws one InvalidInput error, targeting the prompt, that names every such input.
    /// </summary>
    protected static void RefuseUnusable(string prompt, IReadOnlyCollection<TuZiImagesException> unusable)
    {
        if (unusable.Count == 0)
        {
            return;
        }
        string reasons = string.Join(" ", unusable.Select(u => u.Message.TrimEnd('.') + "."));
        string count = unusable.Count == 1 ? "one of its inputs cannot be used" : $"{unusable.Count} of its inputs cannot be used";
        throw TuZiImagesException.InvalidInput($"Nothing was sent for '{Excerpt(prompt)}': {count}. {reasons}", prompt,
            "Fix or leave out the inputs named, then run the command again: the request is sent only with all its inputs.");
    }

    /// <summary>
    /// -SkipExisting: when every file the request would make is already there, writes those files as its results
    /// (marked Skipped, no attempts) and returns true; nothing is sent and nothing is asked of ShouldProcess.
    /// </summary>
    protected bool SkipIfSaved(ImageSettings settings, ImageRequest request, SaveOptions save, string operation)
    {
        if (!settings.SkipExisting)
        {
            return false;
        }
        if (ExistingOutput.Find(save, request.Count ?? 1) is not { } existing)
        {
            save.Validate(createDirectory: false);
            return false;
        }
        var inputs = request.Files.Select(f => f.FullPath).ToArray();
        var results = existing.Select((path, i) => SkippedResult(path, i, request, operation, inputs)).ToList();
        Host.WriteVerbose($"Skipped: {request.Describe(Client.Model)}: already saved as "
            + string.Join(", ", existing) + " (-SkipExisting); nothing was sent.");
        Batch.AddSkipped(results);
        return true;
    }

    private TuZiImageResult SkippedResult(string path, int index, ImageRequest request, string operation, IReadOnlyList<string> inputs) =>
        Results.ResultFactory.Create(
            new Results.ResultSource { Operation = operation, Prompt = request.Prompt, Model = request.Model ?? Client.Model, InputImages = inputs, Skipped = true },
            new Results.ResultImage { Index = index, FullName = path });

    protected static string Excerpt(string prompt) => prompt.Length > 60 ? prompt.Substring(0, 57) + "..." : prompt;

    protected void Submit(ImageRequest request, string action, Func<System.Threading.CancellationToken, System.Threading.Tasks.Task<ImageResponse>> send)
    {
        // The target -WhatIf and -Confirm show: the request exactly as it would go on the wire.
        string target = request.Describe(Client.Model);
        string model = request.Model ?? Client.Model;
        var family = ModelFamilies.Find(model);
        var price = _money.ReadsPrices ? Prices().Find(model) : null;
        int images = request.Count ?? 1;
        if (_money.NamePrices && price is not null)
        {
            action += ", " + price.Describe(images);
        }
        Batch.Add(target, action, async token => Results.SizeCheck.Mark(await send(token).ConfigureAwait(false), request.Size, family),
            price?.ForImages(images), request.ErrorTarget);
    }

    /// <summary>The published prices, read once, when the first request that needs them is submitted.</summary>
    private PriceList Prices()
    {
        if (_prices is null)
        {
            try
            {
                _prices = Batch.Await(Client.GetPricesOrNoneAsync);
            }
            catch (OperationCanceledException)
            {
                // Stopped: the batch starts nothing more, whatever the price.
                _prices = PriceList.Empty;
            }
        }
        return _prices;
    }

    /// <summary>Runs one record's worth of work, turning a bad input into a failure for that record only.</summary>
    /// <param name="target">What the failure is about, when it is one thing (a row's prompt) whatever input was bad.</param>
    protected void Guard(Action work, string? target = null)
    {
        try
        {
            work();
        }
        catch (TuZiImagesException e) when (e.Kind is TuZiErrorKind.InvalidInput)
        {
            if (target is not null)
            {
                e.Target = target;
            }
            Host.WriteFailure(e);
        }
    }

    public void Dispose() => Batch.Dispose();
}
