using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using TuZiImages.Core.Responses;

namespace TuZiImages.Core.Tasks;

/// <summary>
/// Never pay twice: before a task is polled, its id is written beside the output as <c>.tuzi-task-HASH.json</c>, HASH
/// being the request identity that -SkipExisting already uses for file names. A re-run with -SkipExisting finds it
/// and polls the task instead of submitting again; the entry goes once the image is saved, or the task failed.
/// One small file per task: written whole under a temporary name and renamed, so a killed process leaves either
/// the old entry or the new one, and concurrent tasks never write the same file.
/// </summary>
internal sealed class TaskJournal
{
    internal const string Prefix = ".tuzi-task-";
    internal const string Suffix = ".json";

    public TaskJournal(string directory) => Directory = directory;

    public string Directory { get; }

    public string PathFor(string key) => Path.Combine(Directory, Prefix + key + Suffix);

    public TaskJournalEntry? Find(string key)
    {
        string path = PathFor(key);
        return File.Exists(path) ? Read(path) : null;
    }

    /// <summary>The entry of a task id, whichever request it was for (Receive-TuZiImage knows only the id).</summary>
    public TaskJournalEntry? FindTask(string taskId)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return null;
        }
        foreach (string path in System.IO.Directory.GetFiles(Directory, Prefix + "*" + Suffix))
        {
            if (Read(path) is { } entry && entry.TaskId == taskId)
            {
                return entry;
            }
        }
        return null;
    }

    public void Write(TaskJournalEntry entry)
    {
        string final = PathFor(entry.Key);
        string temp = final + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteString("taskId", entry.TaskId);
            writer.WriteString("model", entry.Model);
            writer.WriteString("operation", entry.Operation);
            writer.WriteString("prompt", entry.Prompt);
            if (entry.FileStem is not null)
            {
                writer.WriteString("fileStem", entry.FileStem);
            }
            writer.WriteString("submitted", entry.Submitted.ToString("o", CultureInfo.InvariantCulture));
            if (entry.Record is not null)
            {
                // As the XMP the image will carry: one way of writing a record, read back by the same reader.
                writer.WriteString("record", System.Text.Encoding.UTF8.GetString(Provenance.XmpRecord.Write(entry.Record, null)));
            }
            writer.WriteEndObject();
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        try
        {
            if (File.Exists(final))
            {
                File.Replace(temp, final, null);
            }
            else
            {
                File.Move(temp, final);
            }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public void Remove(string key) => TryDelete(PathFor(key));

    private static TaskJournalEntry? Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || JsonAnswer.String(root, "taskId") is not { Length: > 0 } taskId)
            {
                return null;
            }
            string name = Path.GetFileName(path);
            return new TaskJournalEntry
            {
                Key = name.Substring(Prefix.Length, name.Length - Prefix.Length - Suffix.Length),
                TaskId = taskId,
                Model = JsonAnswer.String(root, "model") ?? "",
                Operation = JsonAnswer.String(root, "operation") ?? "",
                Prompt = JsonAnswer.String(root, "prompt") ?? "",
                FileStem = JsonAnswer.String(root, "fileStem"),
                Submitted = DateTimeOffset.TryParse(JsonAnswer.String(root, "submitted"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when) ? when : default,
                Record = RecordOf(JsonAnswer.String(root, "record")),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // An entry that cannot be read is as if it were not there: the request is submitted again.
            return null;
        }
    }

    /// <summary>A record that cannot be read costs only the record: the task is still picked up.</summary>
    private static Provenance.ImageRecord? RecordOf(string? packet)
    {
        try
        {
            return packet is null ? null : Provenance.XmpRecord.Read(packet).Record;
        }
        catch (Exception e) when (e is System.Xml.XmlException or InvalidDataException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
