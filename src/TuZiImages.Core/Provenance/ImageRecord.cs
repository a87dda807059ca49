using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// How one image was made, as the module writes it into the image (or its sidecar) and reads it back: the prompt,
/// the fields that decided the image, the inputs by name and hash, and where and when it was made. Never the key,
/// a header or a proxy credential: none of them is ever put in.
/// </summary>
internal sealed class ImageRecord
{
    public const string ToolName = "TuZiImages";

    public string Prompt { get; init; } = "";
    public string? RevisedPrompt { get; init; }
    /// <summary>Generate, Edit or Receive.</summary>
    public string? Operation { get; init; }
    /// <summary>The body fields that decided the image, in the request identity's order, each with the JSON it was sent as.</summary>
    public IReadOnlyList<RecordField> Fields { get; init; } = Array.Empty<RecordField>();
    /// <summary>Parameters as given where several made one field (AspectRatio 16:9 for size 16x9); empty when none was given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Given { get; init; } = Array.Empty<KeyValuePair<string, string>>();
    public IReadOnlyList<RecordedInput> Inputs { get; init; } = Array.Empty<RecordedInput>();
    public string? RequestId { get; init; }
    public string? TaskId { get; init; }
    /// <summary>When the service says it made the image, else when it was saved.</summary>
    public DateTimeOffset? Created { get; init; }
    /// <summary>The service's host (and port when not the default): never a path, query or user name.</summary>
    public string? Service { get; init; }
    public string Tool { get; init; } = ToolName;
    public string? ToolVersion { get; init; } = ModuleVersion;

    /// <summary>The model the image was asked of: the "model" field.</summary>
    public string? Model => Fields.FirstOrDefault(f => f.Name == "model")?.Value as string;

    /// <summary>"TuZiImages 1.2.0": what xmp:CreatorTool says.</summary>
    public string CreatorTool => ToolVersion is null ? Tool : Tool + " " + ToolVersion;

    /// <summary>The module's version, from the manifest by way of the assembly (no build metadata).</summary>
    public static string? ModuleVersion { get; } = ReadModuleVersion();

    /// <summary>
    /// The record of a request's images, before any is made: what decides them (the same fields the request
    /// identity hashes, so a row added to the table is recorded too), the inputs and the service's host. Every text
    /// goes through <paramref name="redact"/>, so a key typed into a prompt or field never reaches a file.
    /// </summary>
    public static ImageRecord ForRequest(ImageRequest request, string model, string operation, Uri service, Func<string, string> redact)
    {
        var fields = new List<RecordField>();
        var inputs = new List<RecordedInput>();
        foreach (var (name, value, row) in request.DecidingFields(model))
        {
            if (row is { Value.IsFiles: true })
            {
                inputs.AddRange(InputsOf(row.Parameter, value));
            }
            else if (row?.Name != "prompt")
            {
                fields.Add(new RecordField(redact(name), RecordField.Redacted(value, redact)));
            }
        }
        return new ImageRecord
        {
            Prompt = redact(request.Prompt),
            Operation = operation,
            Fields = fields,
            Given = request.GivenParameters.Select(p => new KeyValuePair<string, string>(p.Key, redact(p.Value))).ToArray(),
            Inputs = inputs.Select(i => i with { Name = redact(i.Name) }).ToArray(),
            Service = HostOf(service),
        };
    }

    /// <summary>This record for one image of the answer.</summary>
    public ImageRecord ForImage(string? revisedPrompt, DateTimeOffset? created, string? requestId, string? taskId) => new()
    {
        Prompt = Prompt, Operation = Operation, Fields = Fields, Given = Given, Inputs = Inputs, Service = Service, Tool = Tool, ToolVersion = ToolVersion,
        RevisedPrompt = revisedPrompt ?? RevisedPrompt,
        Created = created ?? Created,
        RequestId = requestId ?? RequestId,
        TaskId = taskId ?? TaskId,
    };

    /// <summary>Host and port only: a base address's path, query and user name stay out of every file.</summary>
    internal static string HostOf(Uri service) => service.GetComponents(UriComponents.Host | UriComponents.Port, UriFormat.Unescaped);

    private static IEnumerable<RecordedInput> InputsOf(string role, object? value)
    {
        foreach (object? item in value is IEnumerable list and not string ? list.Cast<object?>() : new[] { value })
        {
            switch (item)
            {
                case InputImage file:
                    yield return new RecordedInput(role, file.FileName, file.Sha256);
                    break;
                case ReferenceImage { File: { } file }:
                    yield return new RecordedInput(role, file.FileName, file.Sha256);
                    break;
                case ReferenceImage { Url: { } url }:
                    yield return new RecordedInput(role, UrlName(url), null);
                    break;
            }
        }
    }

    /// <summary>A reference URL as the record names it: no query (signed links carry secrets there), no user name, no data.</summary>
    private static string UrlName(string url) =>
        url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? "data: URL"
        : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped)
        : "URL";

    private static string? ReadModuleVersion()
    {
        string? version = typeof(ImageRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        int plus = version?.IndexOf('+') ?? -1;
        return plus >= 0 ? version!.Substring(0, plus) : version;
    }
}

/// <summary>A body field of the record: its name on the wire and its value as sent (text, a number, a boolean, a list or a dictionary).</summary>
internal sealed record RecordField(string Name, object? Value)
{
    /// <summary>Text inside the value, however deep, with the key taken out.</summary>
    internal static object? Redacted(object? value, Func<string, string> redact) => value switch
    {
        string text => redact(text),
        IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => k is string s ? redact(s) : k, k => Redacted(dictionary[k], redact)),
        IEnumerable list => list.Cast<object?>().Select(v => Redacted(v, redact)).ToList(),
        _ => value,
    };
}

/// <summary>An image sent with the request: the parameter that took it (Path, Mask, ReferenceImage), its file name and its SHA-256 (none for a URL).</summary>
public sealed record RecordedInput(string Role, string Name, string? Sha256);
