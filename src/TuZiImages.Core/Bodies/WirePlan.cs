using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System;
using TuZiImages.Core.Models;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Bodies;

/// <summary>
/// Exactly what one request puts on the wire, as its model's family takes it: the endpoint, the fields in order
/// under the names the family gives them, and the files as its reference carrier takes them. The body that is sent
/// and the -WhatIf (and verbose) text are both made from it, so -WhatIf says what goes. What the route or a listed
/// model cannot take is refused here, before anything is sent, never dropped.
/// </summary>
internal sealed class WirePlan
{
    private static readonly Regex BareWord = new(@"^[A-Za-z0-9._:/+?&=%#~-]+$", RegexOptions.CultureInvariant);

    private WirePlan(BodyEndpoints endpoint, List<(string Name, object Value)> fields, List<WireFile> files)
    {
        Endpoint = endpoint;
        Fields = fields;
        Files = files;
    }

    public BodyEndpoints Endpoint { get; }
    public string Path => Endpoint.Path();
    /// <summary>The fields in the order they are sent; each a plain .NET value (text, a number, a list...).</summary>
    public IReadOnlyList<(string Name, object Value)> Fields { get; }
    /// <summary>File parts (multipart), or the elements of the JSON body's image array; after every field.</summary>
    public IReadOnlyList<WireFile> Files { get; }

    /// <summary>A new body for one attempt.</summary>
    public SentTrackingContent Content()
    {
        if (Endpoint.IsJson())
        {
            return new GenerationJsonContent(this);
        }
        var content = new MultipartFormContent();
        foreach (var (name, value) in Fields)
        {
            foreach (string text in AdditionalFieldValues.FormValues(value))
            {
                content.AddText(name, text);
            }
        }
        foreach (var file in Files)
        {
            content.AddFile(file.Name, file.File!);
        }
        return content;
    }

    /// <summary>
    /// The request as it goes, for -WhatIf and verbose output: "POST /v1/images/edits (multipart): model gpt-image-1,
    /// prompt 'a fox', image @ref.png (2048 bytes)". Text that is not a plain word is quoted as PowerShell quotes it;
    /// in JSON, text that would read as a number or true/false/null is quoted too; other JSON values are shown as JSON.
    /// </summary>
    public string Describe()
    {
        bool json = Endpoint.IsJson();
        var parts = new List<string>();
        foreach (var (name, value) in Fields)
        {
            if (json)
            {
                parts.Add($"{name} {(value is string text ? Quote(text, json: true) : AdditionalFieldValues.ToJson(value))}");
            }
            else
            {
                parts.AddRange(AdditionalFieldValues.FormValues(value).Select(text => $"{name} {Quote(text, json: false)}"));
            }
        }
        if (json && Files.Count > 0)
        {
            parts.Add($"{Files[0].Name} [{string.Join(", ", Files.Select(f => f.Describe()))}]");
        }
        else
        {
            parts.AddRange(Files.Select(f => $"{f.Name} {f.Describe()}"));
        }
        return $"POST {Path} ({(json ? "JSON" : "multipart")}): {string.Join(", ", parts)}";
    }

    public override string ToString() => Describe();

    internal static string Quote(string text, bool json)
    {
        bool literal = json && (text is "true" or "false" or "null"
            || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return BareWord.IsMatch(text) && !literal ? text : "'" + text.Replace("'", "''") + "'";
    }

    /// <summary>The plan for a request to a model; throws InvalidInput, naming what cannot go, when the request cannot be sent as asked.</summary>
    public static WirePlan For(ImageRequest request, string model)
    {
        var family = ModelFamilies.Find(model);
        family.RefuseIfRemoved(model, request.Prompt);
        var images = request switch
        {
            GenerationRequest generation => generation.ReferenceImages.ToList(),
            EditRequest edit => edit.Images.Select(ReferenceImage.FromFile).ToList(),
            _ => new List<ReferenceImage>(),
        };
        var route = family.RouteFor(request is EditRequest, images.Count > 0);
        // Images first: a model that cannot take them at all is the first thing to say.
        var files = Carry(request, model, family, route, images, out string? promptUrls);
        var fields = new List<(string Name, object Value)>();
        foreach (var field in BodyFields.For(request.Endpoints).Where(f => !f.Value.IsFiles))
        {
            object? value = request.ValueOf(field, model)
                ?? (field == BodyFields.Size ? family.SizeWhenUnset : null);
            if (value is not null && Admit(request, model, family, route, field, value) is { } name)
            {
                fields.Add((name, field == BodyFields.Prompt && promptUrls is not null ? promptUrls + " " + value : value));
            }
        }
        if (request is EditRequest { Mask: { } mask })
        {
            if ((BodyFields.Mask.Endpoints & route.Endpoint) == 0)
            {
                throw Refusal(model, family, BodyFields.Mask, mask.FileName, request.Prompt, route.Endpoint);
            }
            files.Add(new WireFile(BodyFields.Mask.Name, mask, null));
        }
        foreach (var extra in request.AdditionalFields)
        {
            // The family may send a row under another name (aspect_ratio): the same key twice would be a malformed body.
            if (fields.Any(f => string.Equals(f.Name, extra.Key, StringComparison.OrdinalIgnoreCase)))
            {
                throw TuZiImagesException.InvalidInput(
                    $"The field '{extra.Key}' is given both by -AdditionalParameter and by a parameter ({model} takes it as '{extra.Key}').",
                    request.Prompt, "Give it once: leave it out of -AdditionalParameter, or leave out the parameter.");
            }
            fields.Add((extra.Key, extra.Value!));
        }
        return new WirePlan(route.Endpoint, fields, files);
    }

    /// <summary>The name a field goes under, or null when it need not go; throws when it cannot.</summary>
    private static string? Admit(ImageRequest request, string model, ModelFamily family, OperationRoute route, BodyField field, object value)
    {
        var use = family.Use(field);
        if ((field.Endpoints & route.Endpoint) == 0)
        {
            // n 1 is what the task API makes anyway; anything else it would ignore, after billing.
            return Equals(value, field.UnsetMeans) ? null : throw Refusal(model, family, field, value, request.Prompt, route.Endpoint);
        }
        if (family.Refuses(model, field, value))
        {
            throw use is null
                ? Refusal(model, family, field, value, request.Prompt, endpoint: null)
                : TuZiImagesException.InvalidInput(
                    $"{model} ({family.Name}) does not take -{field.Parameter} '{BodyFields.Text(value)}': it takes {string.Join(", ", use.Values)}.",
                    request.Prompt, "Use one of those.");
        }
        return use?.SentAs ?? field.Name;
    }

    /// <summary>The reference (or input) images as the route carries them: file parts or JSON array elements, or URLs for the prompt.</summary>
    private static List<WireFile> Carry(ImageRequest request, string model, ModelFamily family, OperationRoute route, List<ReferenceImage> images,
        out string? promptUrls)
    {
        promptUrls = null;
        var files = new List<WireFile>();
        if (images.Count == 0)
        {
            return files;
        }
        string parameter = BodyFields.For(request.Endpoints).First(f => f.Value.IsFiles).ParameterText;
        string target = request.Prompt;
        if (route.Carrier == ReferenceCarrier.None)
        {
            throw TuZiImagesException.InvalidInput($"{model} ({family.Name}) takes no reference or input images; {parameter} gave {images.Count}.", target,
                $"Leave them out, or use a model that takes them, such as {TakesFiles()}.");
        }
        var local = images.Where(i => i.File is not null).Select(i => i.File!).ToList();
        var withMask = request is EditRequest { Mask: { } mask } ? local.Concat(new[] { mask }).ToList() : local;
        family.CheckImages(model, withMask, images.Count, target, parameter);
        switch (route.Carrier)
        {
            case ReferenceCarrier.JsonImageArray:
                files.AddRange(images.Select(i => new WireFile("image", i.File, i.Url)));
                break;
            case ReferenceCarrier.ImageParts or ReferenceCarrier.InputReferenceParts:
                if (images.FirstOrDefault(i => i.File is null) is { } url)
                {
                    throw TuZiImagesException.InvalidInput(
                        $"{model} ({family.Name}) takes reference images as files sent to POST {route.Endpoint.Path()}, not URLs ('{url}').",
                        url.ToString(), "Download the image and give the file.");
                }
                string name = route.Carrier == ReferenceCarrier.ImageParts ? "image" : "input_reference";
                files.AddRange(local.Select(f => new WireFile(name, f, null)));
                break;
            case ReferenceCarrier.PromptUrls:
                if (images.FirstOrDefault(i => i.File is not null || !i.Url!.StartsWith("http", StringComparison.OrdinalIgnoreCase)) is { } notUrl)
                {
                    throw TuZiImagesException.InvalidInput(
                        $"{model} ({family.Name}) takes reference images only as http(s) URLs at the start of the prompt; {(notUrl.File is not null ? "a local file" : "a data URL")} cannot go there ('{notUrl}').",
                        notUrl.ToString(), $"Put the image where the service can fetch it and give its URL, or use a model that takes files, such as {TakesFiles()}.");
                }
                promptUrls = string.Join(" ", images.Select(i => i.Url));
                break;
        }
        return files;
    }

    /// <summary>The default model, which takes image files, with its limit: what advice offers instead.</summary>
    private static string TakesFiles() =>
        $"{TuZiClientOptions.DefaultModel} (up to {ModelFamilies.Find(TuZiClientOptions.DefaultModel).MaxReferenceImages} images)";

    private static TuZiImagesException Refusal(string model, ModelFamily family, BodyField field, object value, string target, BodyEndpoints? endpoint)
    {
        var takers = ModelFamilies.Taking(field).Where(f => f != family && (endpoint is null || f.Route != family.Route)).Select(f => f.Name).ToList();
        string where = endpoint is { } e ? $" sends this request to POST {e.Path()}, which" : "";
        string who = takers.Count == 0 ? "." : $"; {string.Join(", ", takers)} {(takers.Count == 1 ? "takes" : "take")} it.";
        return TuZiImagesException.InvalidInput($"{model} ({family.Name}){where} takes no {field.ParameterText} ('{BodyFields.Text(value)}'){who}", target,
            $"Leave out -{field.Parameter}" + (takers.Count == 0 ? "." : $", or use a model of {(takers.Count == 1 ? "that family" : "those families")}."));
    }
}

/// <summary>A file part of a multipart body, or one element of the JSON body's image array (a file or a URL).</summary>
internal sealed class WireFile
{
    public WireFile(string name, InputImage? file, string? url)
    {
        Name = name;
        File = file;
        Url = url;
    }

    public string Name { get; }
    public InputImage? File { get; }
    public string? Url { get; }

    public string Describe() => File is { } file
        ? $"@{WirePlan.Quote(file.FileName, json: false)} ({file.Length.ToString(CultureInfo.InvariantCulture)} bytes)"
        : WirePlan.Quote(Url!, json: true);
}
