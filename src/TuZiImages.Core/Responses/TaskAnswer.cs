using System;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace TuZiImages.Core.Responses;

/// <summary>
/// What the task API says about one task: {"id", "status", "progress", "video_url" or "url", "error"}, on submit
/// and on every poll.
/// </summary>
internal sealed class TaskAnswer
{
    public const string Completed = "completed";
    public const string Failed = "failed";

    public string? Id { get; private set; }
    /// <summary>The service's word, lower case: queued, in_progress, processing, completed, failed, or one not known yet.</summary>
    public string Status { get; private set; } = "";
    /// <summary>0-100 when the service says.</summary>
    public int? Progress { get; private set; }
    /// <summary>Where the image is: video_url, else url.</summary>
    public string? Url { get; private set; }
    public string? Model { get; private set; }
    public string? ErrorMessage { get; private set; }
    public string? ErrorCode { get; private set; }

    public bool IsCompleted => Status == Completed;
    public bool IsFailed => Status == Failed;

    /// <summary>Throws InvalidDataException for an answer that is not a JSON object.</summary>
    public static TaskAnswer Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The task API's answer is not JSON: " + e.Message, e);
        }
        using (document)
        {
            var root = document.RootElement;
            // Some gateways wrap the task in {"data": {...}}.
            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("status", out _)
                && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                root = data;
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("The task API's answer is not a JSON object.");
            }
            var answer = new TaskAnswer
            {
                Id = Text(root, "id") ?? Text(root, "task_id"),
                Status = (Text(root, "status") ?? "").Trim().ToLowerInvariant(),
                Progress = ProgressOf(root),
                Url = NonEmpty(Text(root, "video_url")) ?? NonEmpty(Text(root, "url")),
                Model = Text(root, "model"),
            };
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    answer.ErrorMessage = Text(error, "message");
                    answer.ErrorCode = Text(error, "code") ?? Text(error, "type");
                }
                else if (error.ValueKind == JsonValueKind.String)
                {
                    answer.ErrorMessage = error.GetString();
                }
            }
            return answer;
        }
    }

    private static int? ProgressOf(JsonElement root)
    {
        if (!root.TryGetProperty("progress", out var value))
        {
            return null;
        }
        double number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number))
        {
        }
        else if (value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString()?.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
        }
        else
        {
            return null;
        }
        // Some services count 0-1, most 0-100.
        if (number > 0 && number < 1)
        {
            number *= 100;
        }
        return (int)Math.Max(0, Math.Min(100, Math.Round(number)));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
}
