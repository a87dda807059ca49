using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>How the fake's tasks behave: set with <c>POST /_control/tasks</c> or <see cref="FakeTuZiServer.TaskMode"/>.</summary>
public sealed class TaskMode
{
    /// <summary>From submission to completed (or failed).</summary>
    public int DurationMs { get; set; } = 1000;

    /// <summary>How long a task says queued before in_progress; the rest of <see cref="DurationMs"/> counts up its progress.</summary>
    public int QueuedMs { get; set; }

    /// <summary>The word the service says while working: in_progress by default; any other is a word the client has not seen.</summary>
    public string InProgressWord { get; set; } = "in_progress";

    /// <summary>
    /// Tasks submitted in this mode stay working, whatever their duration, until the test releases the hold of this
    /// name (<see cref="ServerHolds"/>); each poll while held reaches it. <c>[task:hold=NAME]</c> does it for one task.
    /// </summary>
    public string? Hold { get; set; }
}

/// <summary>The body of <c>POST /_control/tasks/seed</c>: tasks the service knows already, by id.</summary>
public sealed class TaskSeed
{
    public List<string> Ids { get; set; } = new();
    public string Model { get; set; } = "gemini-3-pro-image-preview-async";
}

/// <summary>One task the fake service was given; it lives as long as the server, whatever the client does.</summary>
public sealed class FakeTask
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public string Id { get; init; } = "";
    public string Model { get; init; } = "";
    public string Prompt { get; init; } = "";
    public string Size { get; init; } = "";
    public int InputReferences { get; init; }
    public int DurationMs { get; init; }
    public int QueuedMs { get; init; }
    public string InProgressWord { get; init; } = "in_progress";
    /// <summary>Ends failed instead of completed: the error object's code and message.</summary>
    public string? FailCode { get; init; }
    public string? FailMessage { get; init; }
    /// <summary>The error comes as a bare string, as some gateways send it.</summary>
    public bool FailAsString { get; init; }
    public bool NoUrl { get; init; }
    /// <summary>The hold that keeps the task working until the test releases it.</summary>
    public string? Hold { get; init; }
    public string? ImageUrl { get; set; }
    public int Polls => Volatile.Read(ref _polls);
    internal int _polls;
    public DateTimeOffset SubmittedAt { get; init; } = DateTimeOffset.UtcNow;

    public double ElapsedMs => _clock.Elapsed.TotalMilliseconds;
}

/// <summary>The tasks of one server: they outlive any client, so a test can stop a client mid-poll and resume.</summary>
public sealed class TaskStore
{
    private readonly ConcurrentDictionary<string, FakeTask> _tasks = new(StringComparer.Ordinal);
    private readonly object _modeGate = new();
    private TaskMode _mode = new();
    private int _submissions;
    private int _polls;

    public TaskMode Mode
    {
        get { lock (_modeGate) { return _mode; } }
        set { lock (_modeGate) { _mode = value ?? new TaskMode(); } }
    }

    /// <summary>POST /v1/videos that created a task (since start: never reset).</summary>
    public int Submissions => Volatile.Read(ref _submissions);

    /// <summary>GET /v1/videos/{id} answered (since start).</summary>
    public int Polls => Volatile.Read(ref _polls);

    public IReadOnlyList<FakeTask> Snapshot() => _tasks.Values.OrderBy(t => t.SubmittedAt).ToArray();

    public FakeTask? Find(string id) => _tasks.TryGetValue(id, out FakeTask? task) ? task : null;

    internal void Add(FakeTask task)
    {
        _tasks[task.Id] = task;
        Interlocked.Increment(ref _submissions);
    }

    /// <summary>
    /// Tasks the service already knows, by the ids a test or a help example names (task_a...), done at once with an
    /// image of the model's size: as if submitted in an earlier session. Not counted as submissions.
    /// </summary>
    public void Seed(IEnumerable<string> ids, string model)
    {
        foreach (string id in ids)
        {
            _tasks[id] = new FakeTask { Id = id, Model = model, Prompt = "seeded task " + id, Size = "1:1" };
        }
    }

    internal void CountPoll(FakeTask? task)
    {
        Interlocked.Increment(ref _polls);
        if (task is not null)
        {
            Interlocked.Increment(ref task._polls);
        }
    }

    /// <summary>Poll faults, matched against the task's prompt: 429s, resets, 404s, delays.</summary>
    internal FaultQueue PollFaults { get; } = new();
}

/// <summary>
/// The task API of the async models (<c>POST /v1/videos</c>, <c>GET /v1/videos/{id}</c>), as the service's own client
/// uses it. A prompt may steer its task: <c>[task:failed]</c> (PROHIBITED_CONTENT), <c>[task:failed-text]</c> (error as a
/// string), <c>[task:nourl]</c>, <c>[task:ms=N]</c> (duration), <c>[task:word=W]</c> (status word while working),
/// <c>[task:hold=NAME]</c> (working until the test releases the hold NAME), <c>[task:submit-failed]</c> (failed at once, in the submit answer).
/// </summary>
internal static partial class Tasks
{
    public const string SubmitPath = "/v1/videos";

    public static void Map(WebApplication app, ServerState state)
    {
        app.MapPost(SubmitPath, context => Guarded(context, state, c => SubmitAsync(c, state)));
        app.MapGet(SubmitPath + "/{id}", context => Guarded(context, state, c => PollAsync(c, state)));
        app.MapGet("/_control/tasks", context => WriteJsonAsync(context, new
        {
            state.Tasks.Submissions,
            state.Tasks.Polls,
            state.Tasks.Mode,
            Tasks = state.Tasks.Snapshot(),
        }, ServerJson.Control));
        app.MapPost("/_control/tasks", async context =>
        {
            try
            {
                var mode = await JsonSerializer.DeserializeAsync<TaskMode>(context.Request.Body, ServerJson.Control, context.RequestAborted);
                if (mode is null || mode.DurationMs < 0 || mode.QueuedMs < 0 || string.IsNullOrWhiteSpace(mode.InProgressWord))
                {
                    throw new ArgumentException("durationMs and queuedMs must not be negative, inProgressWord not empty.");
                }
                state.Tasks.Mode = mode;
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                await ErrorResponses.WriteJsonAsync(context, 400, ex.Message, "tasks", cancellation: context.RequestAborted);
                return;
            }
            await WriteJsonAsync(context, state.Tasks.Mode, ServerJson.Control);
        });
        app.MapPost("/_control/tasks/seed", async context =>
        {
            TaskSeed? seed;
            try
            {
                seed = await JsonSerializer.DeserializeAsync<TaskSeed>(context.Request.Body, ServerJson.Control, context.RequestAborted);
                if (seed is null || seed.Ids.Count == 0 || seed.Ids.Any(string.IsNullOrWhiteSpace) || string.IsNullOrWhiteSpace(seed.Model))
                {
                    throw new ArgumentException("ids must name at least one task, none empty, and model must not be empty.");
                }
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                await ErrorResponses.WriteJsonAsync(context, 400, ex.Message, "tasks", cancellation: context.RequestAborted);
                return;
            }
            state.Tasks.Seed(seed.Ids, seed.Model);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/_control/tasks/faults", async context =>
        {
            FaultSpec? fault;
            try
            {
                fault = await JsonSerializer.DeserializeAsync<FaultSpec>(context.Request.Body, ServerJson.Control, context.RequestAborted);
                fault?.Validate();
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                await ErrorResponses.WriteJsonAsync(context, 400, ex.Message, "faults", cancellation: context.RequestAborted);
                return;
            }
            if (fault is not null)
            {
                state.Tasks.PollFaults.Enqueue(fault);
            }
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
    }

    internal static async Task Guarded(HttpContext context, ServerState state, Func<HttpContext, Task> handle)
    {
        try
        {
            await handle(context);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            context.Abort();
        }
    }

    private static async Task SubmitAsync(HttpContext context, ServerState state)
    {
        CancellationToken cancellation = context.RequestAborted;
        var record = new RecordedRequest
        {
            Id = "req_" + Guid.NewGuid().ToString("N")[..24],
            Path = context.Request.Path.Value ?? "",
            Method = context.Request.Method,
            ContentType = context.Request.ContentType,
            Headers = HeaderRecorder.Capture(context.Request.Headers),
            ReceivedAt = DateTimeOffset.UtcNow,
            ContentLength = context.Request.ContentLength,
        };
        state.Requests.Add(record);
        context.Response.Headers["X-Request-Id"] = record.Id;
        string? error = await ReadFormAsync(context, record, cancellation);
        string prompt = record.Field("prompt") ?? "";
        FaultSpec? fault = state.Faults.Take(prompt) ?? PromptFaults.Find(prompt);
        if (await AnsweredByFaultAsync(context, state, record, fault, cancellation))
        {
            return;
        }
        if (ImagesEndpoint.Authenticate(context, state.Options.ExpectedApiKey) is { } authError)
        {
            record.Outcome = "401";
            await ErrorResponses.WriteJsonAsync(context, 401, authError, code: "invalid_api_key", cancellation: cancellation);
            return;
        }
        string model = record.Field("model") ?? "";
        error ??= prompt.Trim().Length == 0 ? "prompt is required." : model.Length == 0 ? "model is required." : null;
        string size = record.Field("size") ?? "1:1";
        if (error is null && !(Regex.IsMatch(size, @"^\d{1,2}:\d{1,2}$") || Regex.IsMatch(size, @"^\d{2,5}x\d{2,5}$")))
        {
            error = $"Invalid size '{size}': the task API takes a ratio such as 16:9.";
        }
        if (error is not null)
        {
            record.Outcome = "400";
            await ErrorResponses.WriteJsonAsync(context, 400, error, cancellation: cancellation);
            return;
        }

        TaskMode mode = state.Tasks.Mode;
        var markers = Markers(prompt);
        var task = new FakeTask
        {
            Id = "task_" + Guid.NewGuid().ToString("N")[..20],
            Model = model,
            Prompt = prompt,
            Size = size,
            InputReferences = record.Files.Count(f => f.FieldName == "input_reference"),
            DurationMs = markers.TryGetValue("ms", out string? ms) && int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out int duration) ? duration : mode.DurationMs,
            QueuedMs = mode.QueuedMs,
            InProgressWord = markers.TryGetValue("word", out string? word) ? word : mode.InProgressWord,
            FailCode = markers.ContainsKey("failed") || markers.ContainsKey("submit-failed") ? "PROHIBITED_CONTENT" : markers.ContainsKey("failed-text") ? "text" : null,
            FailMessage = markers.ContainsKey("failed-text") ? "upstream channel error" : "PROHIBITED_CONTENT: the request was blocked by the safety filter",
            FailAsString = markers.ContainsKey("failed-text"),
            NoUrl = markers.ContainsKey("nourl"),
            Hold = markers.TryGetValue("hold", out string? hold) && hold.Length > 0 ? hold : mode.Hold,
        };
        state.Tasks.Add(task);
        // A task is charged when it is accepted, as new-api bills a task at submission.
        state.Billing.Charge(model, markers.ContainsKey("submit-failed") ? 0 : 1);
        record.Outcome = "200";
        var answer = new Dictionary<string, object?> { ["id"] = task.Id, ["object"] = "video", ["model"] = task.Model, ["status"] = "queued", ["progress"] = 0 };
        if (markers.ContainsKey("submit-failed"))
        {
            answer["status"] = "failed";
            answer["error"] = new { message = task.FailMessage, code = task.FailCode };
        }
        await WriteJsonAsync(context, answer, ServerJson.Api);
    }

    private static async Task PollAsync(HttpContext context, ServerState state)
    {
        CancellationToken cancellation = context.RequestAborted;
        string id = (string)context.Request.RouteValues["id"]!;
        var record = new RecordedRequest
        {
            Id = "req_" + Guid.NewGuid().ToString("N")[..24],
            Path = context.Request.Path.Value ?? "",
            Method = context.Request.Method,
            Headers = HeaderRecorder.Capture(context.Request.Headers),
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        state.Requests.Add(record);
        context.Response.Headers["X-Request-Id"] = record.Id;
        FakeTask? task = state.Tasks.Find(id);
        FaultSpec? fault = state.Tasks.PollFaults.Take(task?.Prompt ?? id);
        if (await AnsweredByFaultAsync(context, state, record, fault, cancellation))
        {
            return;
        }
        if (ImagesEndpoint.Authenticate(context, state.Options.ExpectedApiKey) is { } authError)
        {
            record.Outcome = "401";
            await ErrorResponses.WriteJsonAsync(context, 401, authError, code: "invalid_api_key", cancellation: cancellation);
            return;
        }
        state.Tasks.CountPoll(task);
        if (task is null)
        {
            record.Outcome = "404";
            await ErrorResponses.WriteJsonAsync(context, 404, $"task {id} not found", code: "task_not_found", cancellation: cancellation);
            return;
        }
        record.Outcome = "200";
        await WriteJsonAsync(context, Answer(state, task), ServerJson.Api);
    }

    private static Dictionary<string, object?> Answer(ServerState state, FakeTask task)
    {
        double elapsed = task.ElapsedMs;
        // A held task is working until the test lets it end, however long it has run.
        bool held = task.Hold is { } hold && !state.Holds.Arrive(hold).IsCompleted;
        var answer = new Dictionary<string, object?> { ["id"] = task.Id, ["object"] = "video", ["model"] = task.Model };
        if (elapsed < Math.Min(task.QueuedMs, task.DurationMs))
        {
            answer["status"] = "queued";
            answer["progress"] = 0;
        }
        else if (elapsed < task.DurationMs || held)
        {
            answer["status"] = task.InProgressWord;
            double working = Math.Max(1, task.DurationMs - task.QueuedMs);
            answer["progress"] = Math.Clamp((int)((elapsed - task.QueuedMs) * 100 / working), 1, 99);
        }
        else if (task.FailCode is not null)
        {
            answer["status"] = "failed";
            answer["progress"] = 100;
            answer["error"] = task.FailAsString ? task.FailMessage : new { message = task.FailMessage, code = task.FailCode };
        }
        else
        {
            answer["status"] = "completed";
            answer["progress"] = 100;
            if (!task.NoUrl)
            {
                lock (task)
                {
                    task.ImageUrl ??= StoreImage(state, task);
                }
                answer["video_url"] = task.ImageUrl;
            }
        }
        return answer;
    }

    /// <summary>The image is made when the task completes and served from the result origin, like the service's file host.</summary>
    private static string StoreImage(ServerState state, FakeTask task)
    {
        int longSide = task.Model.Contains("-4k", StringComparison.OrdinalIgnoreCase) ? 4096
            : task.Model.Contains("-2k", StringComparison.OrdinalIgnoreCase) ? 2048 : 1024;
        if (!ImageSizes.TryResolve(task.Size, longSide, out PixelSize pixels, out _))
        {
            pixels = new PixelSize(longSide, longSide);
        }
        StoredImage stored = state.Images.Add(ImageFormat.Png, ImageFactory.Get(ImageFormat.Png, pixels, 0));
        return new Uri(state.ResultBaseAddress, $"files/{stored.Id}.png").AbsoluteUri;
    }

    private static Dictionary<string, string> Markers(string prompt)
    {
        var markers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Marker().Matches(prompt))
        {
            markers[match.Groups["name"].Value] = match.Groups["value"].Value;
        }
        return markers;
    }

    /// <summary>Reads the multipart form, recording text fields and hashing file parts. Returns an error message, or null.</summary>
    private static async Task<string?> ReadFormAsync(HttpContext context, RecordedRequest record, CancellationToken cancellation)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out MediaTypeHeaderValue? mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return $"Content-Type must be multipart/form-data with a boundary; got '{context.Request.ContentType}'.";
        }
        var fields = new List<RecordedField>();
        var files = new List<RecordedFile>();
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync(cancellation) is { } section)
            {
                ContentDispositionHeaderValue? disposition = section.GetContentDispositionHeader();
                string name = disposition is null ? "" : HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                string? fileName = disposition is null ? null : Edits.FileNameOf(disposition);
                if (fileName is not null)
                {
                    files.Add(await Edits.HashFilePartAsync(section, name, fileName, cancellation));
                }
                else if (await Edits.ReadTextPartAsync(section.Body, cancellation) is { } value)
                {
                    fields.Add(new RecordedField(name, value));
                }
            }
        }
        catch (InvalidDataException ex)
        {
            return $"The multipart body could not be parsed: {ex.Message}";
        }
        finally
        {
            record.Fields = fields;
            record.Files = files;
        }
        return files.FirstOrDefault(f => f.FieldName != "input_reference") is { } other
            ? $"Unknown file part '{other.FieldName}': reference images go in input_reference parts."
            : null;
    }

    /// <summary>Delays, resets or answers in place of the task API as the fault says; true when the fault answered.</summary>
    internal static async Task<bool> AnsweredByFaultAsync(HttpContext context, ServerState state, RecordedRequest record, FaultSpec? fault, CancellationToken cancellation)
    {
        record.Fault = fault;
        if (fault is null)
        {
            return false;
        }
        if (fault.DelayMs > 0)
        {
            await Task.Delay(fault.DelayMs, cancellation);
        }
        if (fault.Hold is { } hold)
        {
            await state.HoldAsync(hold, cancellation);
        }
        if (fault.Reset)
        {
            record.Outcome = "reset";
            context.Abort();
            return true;
        }
        if (!fault.ReplacesResponse)
        {
            return false;
        }
        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        await WriteFaultAsync(context, record, fault, cancellation);
        return true;
    }

    private static async Task WriteFaultAsync(HttpContext context, RecordedRequest record, FaultSpec fault, CancellationToken cancellation)
    {
        int status = fault.Status ?? (fault.Body is not null ? 200 : 502);
        record.Outcome = status.ToString(CultureInfo.InvariantCulture);
        if (fault.Body is not null)
        {
            await ErrorResponses.WriteAsync(context, status, fault.ContentType ?? "application/json", System.Text.Encoding.UTF8.GetBytes(fault.Body), cancellation);
        }
        else if (fault.Html)
        {
            await ErrorResponses.WriteHtmlAsync(context, status, fault.Message, cancellation);
        }
        else
        {
            await ErrorResponses.WriteJsonAsync(context, status, fault.Message ?? ErrorResponses.DefaultMessage(status), cancellation: cancellation);
        }
    }

    private static Task WriteJsonAsync<T>(HttpContext context, T value, JsonSerializerOptions options)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, options, context.RequestAborted);
    }

    [GeneratedRegex(@"\[task:(?<name>[a-z\-]+)(?:=(?<value>[^\]]*))?\]", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}
