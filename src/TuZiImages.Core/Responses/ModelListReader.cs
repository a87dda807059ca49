using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Responses;

/// <summary>Reads GET /v1/models: {"object":"list","data":[{"id":..,"owned_by":..,"created":..},...]}. Small, so read whole.</summary>
internal static class ModelListReader
{
    private const int MaxBytes = 32 * 1024 * 1024;

    public static async Task<IReadOnlyList<TuZiModel>> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new InvalidDataException($"The model list is larger than {MaxBytes / 1048576} MB.");
            }
            buffer.Write(chunk, 0, read);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The model list is not valid JSON: " + e.Message, e);
        }
        using (document)
        {
            var root = document.RootElement;
            // OpenAI wraps the list in {"data": [...]}; a few gateways answer the bare array.
            var list = root.ValueKind == JsonValueKind.Array ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data
                : throw new InvalidDataException("The model list has no data array.");
            var models = new List<TuZiModel>();
            foreach (var element in list.EnumerateArray())
            {
                string? id = element.ValueKind == JsonValueKind.String ? element.GetString()
                    : element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()
                    : null;
                if (string.IsNullOrEmpty(id))
                {
                    continue;
                }
                models.Add(new TuZiModel
                {
                    Id = id!,
                    Owner = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("owned_by", out var owner) && owner.ValueKind == JsonValueKind.String ? owner.GetString() : null,
                    Created = Created(element),
                    EndpointTypes = EndpointTypes(element),
                });
            }
            return models;
        }
    }

    private static DateTimeOffset? Created(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("created", out var created))
        {
            return null;
        }
        // Read as an answer's created is (seconds or a finer unit, a number or its text); 0, what gateways send
        // when they do not know, is no date.
        string? text = created.ValueKind switch
        {
            JsonValueKind.Number => created.GetRawText(),
            JsonValueKind.String => created.GetString()?.Trim(),
            _ => null,
        };
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? UnixTime.FromSecondsOrMilliseconds(value) : null;
    }

    private static IReadOnlyList<string> EndpointTypes(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("supported_endpoint_types", out var types) || types.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<string>();
        }
        var result = new List<string>();
        foreach (var type in types.EnumerateArray())
        {
            if (type.ValueKind == JsonValueKind.String && type.GetString() is { Length: > 0 } text)
            {
                result.Add(text);
            }
        }
        return result;
    }
}
