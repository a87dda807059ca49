using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Errors;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Responses;
using TuZiImages.Core.Results;
using TuZiImages.Core.Retry;
using TuZiImages.Core.Saving;
using TuZiImages.Core.Transport;

namespace TuZiImages.Core.Tasks;

/// <summary>
/// The task API of the async models: submit once (POST /v1/videos), write the task id to the journal, then poll
/// GET /v1/videos/{id} through the same attempt loop and shared rate view as every other call, until the task is
/// completed (its image is downloaded, without the key, and saved like any other) or failed.
/// </summary>
internal sealed class ImageTaskRunner
{
    private const int MaxAnswerBytes = 256 * 1024;

    private readonly TuZiClientOptions _options;
    private readonly ApiAddress _address;
    private readonly ApiRequestSender _sender;
    private readonly FailureMapper _failures;
    private readonly ResultDownloader _downloader;
    private readonly IClientLog? _log;
    /// <summary>The polls' spread and wait: the process's, as for retries.</summary>
    private static readonly RetryPacing Pacing = RetryPacing.Shared;

    public ImageTaskRunner(TuZiClientOptions options, ApiAddress address, ApiRequestSender sender, FailureMapper failures, ResultDownloader downloader,
        IClientLog? log)
    {
        _options = options;
        _address = address;
        _sender = sender;
        _failures = failures;
        _downloader = downloader;
        _log = log;
    }

    /// <summary>New-TuZiImage and Edit-TuZiImage with an async model: submit (or resume) and wait.</summary>
    /// <param name="plan">The request on the task API's wire (what the family refuses was refused making it).</param>
    public async Task<ImageResponse> RunAsync(ImageRequest request, string operation, string model, WirePlan plan, SaveOptions save, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var journal = new TaskJournal(save.Directory);
        string key = request.IdentityHash(_options.Model);
        var task = new PendingTask
        {
            Operation = operation, Prompt = request.Prompt, Target = request.Prompt, Model = model, Journal = journal, Key = key,
            InputImages = request.Files.Select(f => f.FullPath).ToArray(),
            Record = save.Metadata == MetadataMode.None ? null : ImageRecord.ForRequest(request, model, operation, _options.BaseAddress, _failures.Redact),
        };
        var pending = journal.Find(key);
        bool resumed = pending is not null && save.ResumePendingTask;
        if (resumed)
        {
            task.Id = pending!.TaskId;
            Log($"Task {task.Id} of this request is pending since {pending.Submitted.ToLocalTime():yyyy-MM-dd HH:mm:ss} ({journal.PathFor(key)}): "
                + "polling it instead of submitting the request again (-SkipExisting).");
        }
        else
        {
            if (pending is not null)
            {
                Log($"Task {pending.TaskId} of an earlier run of this request is pending ({journal.PathFor(key)}); submitting a new one, "
                    + "as -SkipExisting was not given (with it, the earlier task would be picked up instead).");
            }
            var (answer, attempts, requestId) = await SubmitAsync(request, model, plan, cancellationToken).ConfigureAwait(false);
            task.Id = answer.Id!;
            task.Attempts = attempts;
            task.RequestId = requestId;
            Log($"Task {task.Id} submitted: {answer.Status}{(answer.Progress is { } p ? $" ({p}%)" : "")}.");
            if (answer.IsFailed)
            {
                throw Failed(task, answer);
            }
            try
            {
                journal.Write(new TaskJournalEntry
                {
                    Key = key, TaskId = task.Id, Model = model, Prompt = request.Prompt, Operation = operation, FileStem = save.FileStem,
                    Submitted = DateTimeOffset.Now, Record = task.Record,
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log($"Task {task.Id} could not be written to the journal ({e.Message}): if this run stops, pick the task up with Receive-TuZiImage -TaskId {task.Id}.");
            }
        }
        return await AwaitAsync(task, save, pollAtOnce: resumed, stopwatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Receive-TuZiImage: any task by id; a journal entry in the output folder names its prompt and is removed once saved.</summary>
    public Task<ImageResponse> ReceiveAsync(string taskId, SaveOptions save, CancellationToken cancellationToken)
    {
        var journal = new TaskJournal(save.Directory);
        var entry = journal.FindTask(taskId);
        var task = new PendingTask
        {
            Id = taskId, Operation = entry?.Operation is { Length: > 0 } operation ? operation : "Receive", Prompt = entry?.Prompt ?? "",
            Target = taskId, Model = entry?.Model ?? "", Journal = journal, Key = entry?.Key,
        };
        if (save.Metadata != MetadataMode.None)
        {
            // The journal keeps the record of the request that made the task; a task known only by its id records what is known.
            task.Record = entry?.Record ?? new ImageRecord
            {
                Prompt = _failures.Redact(task.Prompt), Operation = task.Operation, Service = ImageRecord.HostOf(_options.BaseAddress),
                Fields = task.Model.Length == 0 ? Array.Empty<RecordField>() : new[] { new RecordField("model", _failures.Redact(task.Model)) },
            };
        }
        return AwaitAsync(task, save, pollAtOnce: true, Stopwatch.StartNew(), cancellationToken);
    }

    private async Task<(TaskAnswer Answer, int Attempts, string? RequestId)> SubmitAsync(ImageRequest request, string model, WirePlan plan, CancellationToken cancellationToken)
    {
        var endpoint = _address.EndpointFor(plan.Path);
        var call = new ApiCall(HttpMethod.Post, endpoint, plan.Describe(), request.Prompt, model, plan.Content)
        {
            AnswerName = "the task",
        };
        return await _sender.SendAsync(call, async (response, attempt, requestId, attemptToken) =>
        {
            var answer = TaskAnswer.Parse(await ReadAsync(response, attemptToken).ConfigureAwait(false));
            if (string.IsNullOrWhiteSpace(answer.Id))
            {
                throw new TuZiImagesException(TuZiErrorKind.MalformedResponse,
                    "The service accepted the task but its answer has no task id, so it cannot be polled. The task may have been made and billed.")
                {
                    StatusCode = (int)response.StatusCode, RequestId = requestId, Attempts = attempt, MayHaveBeenBilled = true, Target = request.Prompt,
                };
            }
            return (answer, attempt, requestId);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImageResponse> AwaitAsync(PendingTask task, SaveOptions save, bool pollAtOnce, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        string? lastStatus = null;
        TaskAnswer? last = null;
        int polls = 0;
        try
        {
            for (bool first = true; ; first = false)
            {
                if (!(first && pollAtOnce))
                {
                    var left = _options.TaskTimeout - waiting.Elapsed;
                    var spacing = Backoff.PollSpacing(polls, _options.TaskPollInterval, Pacing.Jitter());
                    await Pacing.Wait(spacing < left ? spacing : left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                }
                TaskAnswer? answer = null;
                try
                {
                    answer = await PollAsync(task, cancellationToken).ConfigureAwait(false);
                }
                catch (TuZiImagesException e) when (e.StatusCode == 404)
                {
                    task.Forget();
                    throw NotFound(task, e);
                }
                catch (TuZiImagesException e) when (e.Kind is TuZiErrorKind.RateLimit or TuZiErrorKind.Network or TuZiErrorKind.Timeout
                    or TuZiErrorKind.Server or TuZiErrorKind.MalformedResponse)
                {
                    // The task goes on at the service whatever happened to one poll: only the total wait ends it. The next
                    // poll is the retry (the send loop does not retry a poll), so a failing poll is tried again once per spacing.
                    Log($"Task {task.Id}: a poll failed ({e.Message}); still waiting.");
                }
                polls++;
                if (answer is not null)
                {
                    last = answer;
                    if (answer.Status != lastStatus)
                    {
                        lastStatus = answer.Status;
                        Log($"Task {task.Id}: {Words(answer)} after {FailureMapper.Seconds(waiting.Elapsed)}.");
                    }
                    Report(task, save, answer, waiting.Elapsed, finished: false);
                    if (answer.IsFailed)
                    {
                        task.Forget();
                        throw Failed(task, answer);
                    }
                    if (answer.IsCompleted)
                    {
                        if (answer.Url is null)
                        {
                            throw new TuZiImagesException(TuZiErrorKind.NoImage, $"Task {task.Id} completed without an image URL (neither video_url nor url).")
                            {
                                Target = task.Target, MayHaveBeenBilled = true, TaskId = task.Id, StatusCode = 200,
                                RecommendedAction = $"The task is kept: try again later with Receive-TuZiImage -TaskId {task.Id}.",
                            };
                        }
                        var response = await SaveAsync(task, answer, save, stopwatch, cancellationToken).ConfigureAwait(false);
                        task.Forget();
                        return response;
                    }
                }
                if (waiting.Elapsed >= _options.TaskTimeout)
                {
                    throw StillPending(task, last, waiting.Elapsed);
                }
            }
        }
        catch (TuZiImagesException e)
        {
            e.Target ??= task.Target;
            if (!task.Forgotten)
            {
                // The task may still be had: the error carries its id, for Receive-TuZiImage.
                e.TaskId ??= task.Id;
            }
            throw;
        }
        finally
        {
            Report(task, save, last, waiting.Elapsed, finished: true);
        }
    }

    private Task<TaskAnswer> PollAsync(PendingTask task, CancellationToken cancellationToken)
    {
        string path = BodyEndpoints.Tasks.Path() + "/" + Uri.EscapeDataString(task.Id);
        var endpoint = _address.EndpointFor(path);
        var call = new ApiCall(HttpMethod.Get, endpoint, "GET " + path, task.Target, task.Model, content: null)
        {
            AnswerName = "the task's status", RetriedByCaller = true,
        };
        return _sender.SendAsync(call, async (response, _, _, attemptToken) => TaskAnswer.Parse(await ReadAsync(response, attemptToken).ConfigureAwait(false)),
            cancellationToken);
    }

    private async Task<ImageResponse> SaveAsync(PendingTask task, TaskAnswer answer, SaveOptions save, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        save.Validate();
        using var session = new SaveSession(save, DateTime.Now);
        string? fullName = null;
        PendingFile? file = null;
        try
        {
            if (save.DownloadUrls)
            {
                file = await _downloader.DownloadAsync(answer.Url!, 0, session, cancellationToken).ConfigureAwait(false);
                try
                {
                    fullName = session.Commit(file, 0, 1, task.Record?.ForImage(null, DateTimeOffset.Now,
                        task.RequestId is { } requestId ? _failures.Redact(requestId) : null, _failures.Redact(task.Id)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new TuZiImagesException(TuZiErrorKind.FileSystem, $"The image of task {task.Id} could not be saved in '{save.Directory}': {e.Message}", e)
                    {
                        Target = save.FilePath ?? save.Directory, MayHaveBeenBilled = true,
                    };
                }
            }
        }
        catch (TuZiImagesException e)
        {
            // Completed and still at the service: the journal keeps it, and the error says how to fetch it again.
            e.TaskId ??= task.Id;
            throw;
        }
        var source = new ResultSource
        {
            Operation = task.Operation, Prompt = task.Prompt, Model = answer.Model ?? task.Model, InputImages = task.InputImages,
            Attempts = task.Attempts, RequestId = task.RequestId, Elapsed = stopwatch.Elapsed, TaskId = task.Id,
        };
        var result = ResultFactory.Create(source, new ResultImage { Index = 0, FullName = fullName, Url = answer.Url, Saved = file });
        return new ImageResponse { Images = new[] { result }, RequestId = task.RequestId, Attempts = task.Attempts, Elapsed = stopwatch.Elapsed };
    }

    private void Report(PendingTask task, SaveOptions save, TaskAnswer? answer, TimeSpan waited, bool finished) =>
        save.TaskStatusChanged?.Invoke(new ImageTaskStatus
        {
            TaskId = task.Id, Target = task.Target, Status = answer?.Status ?? "", Progress = answer?.Progress, Waited = waited, IsFinished = finished,
        });

    private TuZiImagesException Failed(PendingTask task, TaskAnswer answer)
    {
        string reason = _failures.Redact(answer.ErrorMessage ?? answer.ErrorCode ?? "the service gave no reason");
        string? code = answer.ErrorCode is null ? null : _failures.Redact(answer.ErrorCode);
        bool refused = RefusalMarkers.InError(reason, code);
        return new TuZiImagesException(refused ? TuZiErrorKind.ContentRefused : TuZiErrorKind.Server,
            $"Task {task.Id} failed: {reason}{(code is null || reason.Contains(code) ? "" : $" ({code})")}")
        {
            ServerMessage = reason, ServerErrorCode = code, Target = task.Target, Attempts = task.Attempts, RequestId = task.RequestId,
            RecommendedAction = refused ? "Rephrase the prompt or use other images." : "Try again; a failed task is not resumed.",
        };
    }

    private TuZiImagesException NotFound(PendingTask task, TuZiImagesException poll) =>
        new(TuZiErrorKind.BadRequest,
            $"The service knows no task {task.Id} (HTTP 404): it may have expired, or it belongs to another address or key." + (task.Key is null ? "" : " It was removed from the journal."), poll)
        {
            StatusCode = 404, RequestId = poll.RequestId, ServerMessage = poll.ServerMessage, Target = task.Target,
            RecommendedAction = "Check -BaseUri and the key; submit the request again if the task is gone.",
        };

    private TuZiImagesException StillPending(PendingTask task, TaskAnswer? last, TimeSpan waited)
    {
        string how = $"Receive-TuZiImage -TaskId {task.Id}" + (task.Key is null ? "" : ", or run the same command again with -SkipExisting");
        return new TuZiImagesException(TuZiErrorKind.Timeout,
            $"Task {task.Id} is still {(last is null ? "pending" : Words(last))} after {FailureMapper.Seconds(waited)}, the total wait allowed (-TaskTimeoutSec). "
            + $"It was not cancelled and may still finish: pick it up later with {how}.")
        {
            Target = task.Target, TaskId = task.Id, MayHaveBeenBilled = true, Attempts = task.Attempts, RequestId = task.RequestId,
            RecommendedAction = $"Pick the task up later with {how} (with the same -OutDirectory or -OutFile); allow a longer wait with -TaskTimeoutSec.",
        };
    }

    private static string Words(TaskAnswer answer) =>
        (answer.Status.Length == 0 ? "(no status)" : answer.Status) + (answer.Progress is { } p ? $" ({p}%)" : "");

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new InvalidDataException($"The task API's answer is longer than {MaxAnswerBytes / 1024} KB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private void Log(string message) => _log?.Verbose(_failures.Redact(message));

    /// <summary>A task this run waits for, and where its journal entry is (none for a task received by id without one).</summary>
    private sealed class PendingTask
    {
        public string Id { get; set; } = "";
        public string Operation { get; init; } = "";
        public string Prompt { get; init; } = "";
        /// <summary>What errors name: the prompt, or the task id.</summary>
        public string Target { get; init; } = "";
        public string Model { get; init; } = "";
        public IReadOnlyList<string> InputImages { get; init; } = Array.Empty<string>();
        public int Attempts { get; set; }
        public string? RequestId { get; set; }
        public TaskJournal Journal { get; init; } = null!;
        public string? Key { get; init; }
        /// <summary>What the task's image records of how it was made; null when -Metadata None.</summary>
        public ImageRecord? Record { get; set; }

        public bool Forgotten { get; private set; }

        public void Forget()
        {
            Forgotten = true;
            if (Key is not null)
            {
                Journal.Remove(Key);
            }
        }
    }
}
