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
    public static async Task<IReadOnlyList<TuZiModel>> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using (var document = await JsonAnswer.ReadAsync(body, "the model list", cancellationToken).ConfigureAwait(false))
        {
            var root = document.RootElement;
            // OpenAI wraps the list in {"data": [...]}; a few gateways answer the bare array.
            var list = root.ValueKind == JsonValueKind.Array ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data
                : throw new InvalidDataException("The model list has no data array.");
            var models = new List<TuZiModel>();
            foreach (var element in list.EnumerateArray())
            {
                string? id = element.ValueKind == JsonValueKind.String ? element.GetString() : JsonAnswer.String(element, "id");
                if (string.IsNullOrEmpty(id))
                {
                    continue;
                }
                models.Add(new TuZiModel
                {
                    Id = id!,
                    Owner = JsonAnswer.String(element, "owned_by"),
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
