using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Billing;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Errors;
using TuZiImages.Core.Models;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.RateLimits;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Responses;
using TuZiImages.Core.Results;
using TuZiImages.Core.Saving;
using TuZiImages.Core.Tasks;
using TuZiImages.Core.Transport;

namespace TuZiImages.Core;

/// <summary>
/// The tu-zi images API: one request in, its images on disk (or as URLs) out. Thread-safe; every call takes a
/// CancellationToken and leaves no temporary file behind however it ends.
/// </summary>
/// <remarks>
/// The work is split by what a newcomer looks for: <see cref="ApiRequestSender"/> takes a request to the wire
/// and back (retries included), <see cref="ResultCollector"/> turns an answer into results and saved files
/// (with <see cref="ResultDownloader"/> for URL results), and <see cref="FailureMapper"/> decides which error a
/// failure becomes.
/// </remarks>
public sealed class TuZiImagesClient
{
    private readonly TuZiClientOptions _options;
    private readonly ApiAddress _address;
    private readonly FailureMapper _failures;
    private readonly ApiRequestSender _sender;
    private readonly ResultCollector _collector;
    private readonly ImageTaskRunner _tasks;
    private readonly BillingReader _billing;
    private readonly IClientLog? _log;

    /// <summary>Validates the options (a Configuration error says what to fix) and keeps a copy of them.</summary>
    public TuZiImagesClient(TuZiClientOptions options, IClientLog? log = null)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }
        options.Validate();
        _options = options.Clone();
        _address = new ApiAddress(_options.BaseAddress);
        _failures = new FailureMapper(_options);
        _sender = new ApiRequestSender(_options, _failures, log);
        var downloader = new ResultDownloader(_options, _failures, log);
        _collector = new ResultCollector(_failures, downloader);
        _tasks = new ImageTaskRunner(_options, _address, _sender, _failures, downloader, log);
        _billing = new BillingReader(_address, _sender);
        _log = log;
    }

    public string Model => _options.Model;

    /// <summary>Where the service's limits stand for this client's address and key: shared by every client of both.</summary>
    public ServiceRateStatus RateStatus => _sender.RateStatus;

    /// <summary>A generation: to the endpoint the model's family sends it (gpt-image with references: the edits endpoint).</summary>
    public Task<ImageResponse> GenerateAsync(GenerationRequest request, SaveOptions save, CancellationToken cancellationToken = default) =>
        RunAsync(request, "Generate", save, cancellationToken);

    public Task<ImageResponse> EditAsync(EditRequest request, SaveOptions save, CancellationToken cancellationToken = default) =>
        RunAsync(request, "Edit", save, cancellationToken);

    /// <summary>
    /// Polls a task of the async models by its id until it is done, then saves its image as a generation's would be
    /// saved. A journal entry for the task in the output folder gives the result its prompt and is removed once saved.
    /// </summary>
    public Task<ImageResponse> ReceiveTaskAsync(string taskId, SaveOptions save, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(taskId))
        {
            throw TuZiImagesException.InvalidInput("The task id is empty.", taskId, "Give the TaskId of a result or of an error of an async model.");
        }
        save.Validate();
        return _tasks.ReceiveAsync(taskId.Trim(), save, cancellationToken);
    }

    /// <summary>
    /// GET /v1/models: what the key's group may use, with the same key, timeout, retries and errors as an image
    /// request. The list is remembered in <see cref="ModelCatalog"/> for tab completion.
    /// </summary>
    public async Task<IReadOnlyList<TuZiModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var endpoint = _address.EndpointFor("/v1/models");
        var call = new ApiCall(HttpMethod.Get, endpoint, "GET /v1/models", endpoint.ToString(), "", content: null) { AnswerName = "the model list" };
        var models = await _sender.SendAsync(call, async (response, _, _, attemptToken) =>
        {
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return await ModelListReader.ReadAsync(body, attemptToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        ModelCatalog.Remember(_options.BaseAddress, models);
        return models;
    }

    /// <summary>
    /// The models, as <see cref="ListModelsAsync"/> lists them, with the price per request the service publishes for
    /// each (/api/pricing, asked without the key). A service that publishes no prices still lists its models.
    /// </summary>
    public async Task<IReadOnlyList<TuZiModel>> ListPricedModelsAsync(CancellationToken cancellationToken = default)
    {
        var prices = GetPricesOrNoneAsync(cancellationToken);
        IReadOnlyList<TuZiModel> models;
        try
        {
            models = await ListModelsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _ = prices.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: the listing's failure is the one to report
            throw;
        }
        var list = await prices.ConfigureAwait(false);
        var priced = new List<TuZiModel>(models.Count);
        foreach (var model in models)
        {
            priced.Add(list.Price(model));
        }
        return priced;
    }

    /// <summary>
    /// The prices the service publishes (GET /api/pricing, without the key), said in a verbose line; none
    /// (<see cref="PriceList.Empty"/>) when they could not be read, which costs the caller only the prices.
    /// </summary>
    internal async Task<PriceList> GetPricesOrNoneAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var list = await _billing.ReadPricesAsync(cancellationToken).ConfigureAwait(false);
            _log?.Verbose(PricesNote(list));
            return list;
        }
        catch (TuZiImagesException e)
        {
            _log?.Verbose("No prices: " + e.Message);
            return PriceList.Empty;
        }
    }

    /// <summary>What the price list says of itself, for verbose output.</summary>
    private static string PricesNote(PriceList list) =>
        $"Prices: {list.PerRequestCount} model(s) have a published price per request (GET {BillingReader.PricingPath}); "
        + "a price is its group's (the default group's unless the model is not offered to it), which your key's own group can multiply.";

    /// <summary>The key's limit, usage and what is left (GET /v1/dashboard/billing/subscription and /usage).</summary>
    public Task<TuZiBalance> GetBalanceAsync(CancellationToken cancellationToken = default) =>
        _billing.ReadBalanceAsync(DateTime.UtcNow.Date, cancellationToken);

    /// <summary>The key's usage in US dollars, as the service has recorded it so far.</summary>
    public Task<decimal> ReadUsageUsdAsync(CancellationToken cancellationToken = default) =>
        _billing.ReadUsageUsdAsync(DateTime.UtcNow.Date, cancellationToken);


    /// <summary>What each image of the request records of how it was made; none when -Metadata None keeps the files as served.</summary>
    private ImageRecord? RecordFor(ImageRequest request, string model, string operation, SaveOptions save) =>
        save.Metadata == MetadataMode.None ? null : ImageRecord.ForRequest(request, model, operation, _options.BaseAddress, _failures.Redact);

    /// <summary>
    /// The address of the request's own endpoint (the model's family may send it elsewhere: see -WhatIf); a base
    /// address that already ends in /v1 (as OpenAI-style ones often do) is not doubled.
    /// </summary>
    public Uri EndpointFor(ImageRequest request) => _address.EndpointFor(request.Endpoint);

    private async Task<ImageResponse> RunAsync(ImageRequest request, string operation, SaveOptions save, CancellationToken cancellationToken)
    {
        request.Validate();
        string model = request.Model ?? _options.Model;
        // The one plan of what goes on the wire: -WhatIf described this same plan.
        var plan = request.Plan(_options.Model);
        save.Validate();
        if (plan.Endpoint == BodyEndpoints.Tasks)
        {
            // The async models answer on the task API, which survives a dropped connection; same results, same saving.
            return await _tasks.RunAsync(request, operation, model, plan, save, cancellationToken).ConfigureAwait(false);
        }
        var stopwatch = Stopwatch.StartNew();
        using var session = new SaveSession(save, DateTime.Now);
        SentRequest sent;
        try
        {
            var call = new ApiCall(HttpMethod.Post, _address.EndpointFor(plan.Path), plan.Describe(), request.Prompt, model, plan.Content)
            {
                AcceptsEventStream = request.PartialImages is not null,
            };
            sent = await _sender.SendAsync(call, async (response, attempt, requestId, attemptToken) =>
            {
                var parsed = await ImageAnswerReader.ReadAsync(response, session, request.Count ?? 1, attemptToken).ConfigureAwait(false);
                return new SentRequest(parsed, requestId, attempt);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TuZiImagesException e) when (e.Target is null)
        {
            // Name what the failure is about, so an error in a batch says which item it was.
            e.Target = request.ErrorTarget;
            throw;
        }
        return await _collector.CollectAsync(request, operation, model, sent, session, stopwatch, RecordFor(request, model, operation, save), cancellationToken)
            .ConfigureAwait(false);
    }
}
