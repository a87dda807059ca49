using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Xml;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// Get-TuZiImageInfo without PowerShell: the record of an image, from the image itself or its sidecar, else what
/// another tool wrote (a "parameters" text, an XMP description), else an object that says there is none.
/// </summary>
public static class ImageInfoReader
{
    /// <summary>Throws an InvalidInput error naming the file when it is missing, no image, or damaged.</summary>
    public static TuZiImageInfo Read(string path)
    {
        string fullPath = Path.GetFullPath(path);
        try
        {
            return ReadFile(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TuZiImagesException.InvalidInput($"The image '{fullPath}' cannot be read: {e.Message}", fullPath);
        }
    }

    private static TuZiImageInfo ReadFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw TuZiImagesException.InvalidInput($"'{path}' is a directory, not an image.", path, "Give image files, for example Get-ChildItem *.png.");
        }
        if (!File.Exists(path))
        {
            throw TuZiImagesException.InvalidInput($"The image '{path}' does not exist.", path);
        }
        var format = ImageFormat.SniffFile(path);
        if (format is null)
        {
            throw string.Equals(Path.GetExtension(path), Sidecar.Extension, StringComparison.OrdinalIgnoreCase)
                ? TuZiImagesException.InvalidInput($"'{path}' is an XMP sidecar, not an image.", path, "Give the image beside it: its record is read from here.")
                : TuZiImagesException.InvalidInput($"'{path}' is not a PNG, JPEG, WebP or GIF image (its first bytes say otherwise).", path);
        }
        var scan = ImageContainer.ScanFile(path, format);
        if (scan is { Damaged: true })
        {
            throw TuZiImagesException.InvalidInput($"The {format.Name} image '{path}' is damaged: {scan.Problem}.", path);
        }
        var info = new Found(path, scan?.HasContentCredentials ?? false);
        var (embedded, description) = ReadXmp(scan?.Xmp);
        if (embedded is not null)
        {
            return info.From(embedded, RecordSources.Embedded, path);
        }
        string sidecar = Sidecar.PathFor(path);
        var (fromSidecar, sidecarDescription) = File.Exists(sidecar) && new FileInfo(sidecar).Length <= XmpRecord.MaxPacketChars
            ? ReadXmp(File.ReadAllText(sidecar)) : (null, null);
        if (fromSidecar is not null)
        {
            return info.From(fromSidecar, RecordSources.Sidecar, sidecar);
        }
        if (scan?.Parameters is { } parameters)
        {
            return info.FromParameters(parameters);
        }
        if (description is not null)
        {
            return info.FromDescription(description, RecordSources.Xmp, path);
        }
        return sidecarDescription is not null ? info.FromDescription(sidecarDescription, RecordSources.Sidecar, sidecar) : info.Nothing();
    }

    /// <summary>An XMP packet that cannot be read is as if it were not there: the image is still described.</summary>
    private static (ImageRecord?, string?) ReadXmp(string? packet)
    {
        try
        {
            return packet is null ? (null, null) : XmpRecord.Read(packet);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            return (null, null);
        }
    }

    /// <summary>What is known of the file before its record, and the ways of making its info.</summary>
    private sealed class Found
    {
        private readonly string _path;
        private readonly bool _credentials;

        public Found(string path, bool credentials)
        {
            _path = path;
            _credentials = credentials;
        }

        public TuZiImageInfo From(ImageRecord record, string source, string recordPath)
        {
            var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            var additional = new OrderedDictionary();
            foreach (var field in record.Fields)
            {
                var row = BodyFields.All.FirstOrDefault(r => r.Name == field.Name);
                if (row is null)
                {
                    additional[field.Name] = field.Value;
                }
                else if (row.Value.FromParameter)
                {
                    parameters[row.Parameter] = field.Value;
                }
            }
            string? Given(string name) => record.Given.FirstOrDefault(g => string.Equals(g.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            if (additional.Count > 0)
            {
                parameters["AdditionalParameter"] = additional;
            }
            return new TuZiImageInfo
            {
                Name = Path.GetFileName(_path), ImagePath = _path, RecordSource = source, RecordPath = recordPath, HasContentCredentials = _credentials,
                Prompt = record.Prompt, RevisedPrompt = record.RevisedPrompt, Model = record.Model,
                // As given, so another model works them out its own way (16:9 is 16x9 for Gemini, 1536x1024 for gpt-image-1).
                Size = Given("Size"), AspectRatio = Given("AspectRatio"), Quality = Given("Quality"),
                Parameters = parameters,
                AdditionalParameter = additional.Count == 0 ? null : additional,
                Fields = record.Fields.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First().Value),
                InputImages = record.Inputs, Operation = record.Operation, Created = record.Created, RequestId = record.RequestId, TaskId = record.TaskId,
                Service = record.Service, CreatorTool = record.CreatorTool,
            };
        }

        /// <summary>A "parameters" text: the prompt, and the pairs whose keys name a parameter or a field.</summary>
        public TuZiImageInfo FromParameters(string text)
        {
            var (prompt, pairs) = ParametersText.Read(text);
            var fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in pairs)
            {
                fields[pair.Key] = pair.Value;
                string key = pair.Key.Replace(" ", "");
                var row = BodyFields.All.FirstOrDefault(r => r.Value.FromParameter
                    && (string.Equals(r.Parameter, key, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, pair.Key, StringComparison.OrdinalIgnoreCase)));
                if (row is not null)
                {
                    parameters[row.Parameter] = pair.Value;
                }
            }
            string? Pair(string key) => fields.TryGetValue(key, out object? value) ? (string?)value : null;
            string? ratio = Pair("AspectRatio") ?? Pair("Aspect ratio");
            return new TuZiImageInfo
            {
                Name = Path.GetFileName(_path), ImagePath = _path, RecordSource = RecordSources.Parameters, RecordPath = _path, HasContentCredentials = _credentials,
                Prompt = prompt, Model = Pair("Model"), AspectRatio = ratio, Size = ratio is null ? Pair("Size") : null, Quality = Pair("Quality"),
                RevisedPrompt = Pair("Revised prompt"), RequestId = Pair("Request id"), TaskId = Pair("Task id"), Service = Pair("Service"), CreatorTool = Pair("Version"),
                Parameters = parameters, Fields = fields,
            };
        }

        public TuZiImageInfo FromDescription(string description, string source, string recordPath) => new()
        {
            Name = Path.GetFileName(_path), ImagePath = _path, RecordSource = source, RecordPath = recordPath, HasContentCredentials = _credentials,
            Prompt = description,
        };

        public TuZiImageInfo Nothing() => new()
        {
            Name = Path.GetFileName(_path), ImagePath = _path, RecordSource = RecordSources.None, HasContentCredentials = _credentials,
        };
    }
}
