using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Requests;

/// <summary>
/// What both endpoints take. The body fields are the rows of <see cref="BodyFields"/>: the request holds a few
/// itself (prompt, model, n, previews, files) and the others by row, through the indexer. Unset (null) fields are
/// left out of the request.
/// </summary>
public abstract class ImageRequest
{
    private readonly Dictionary<BodyField, object> _values = new();

    public string Prompt { get; set; } = "";
    /// <summary>Null: the client's model.</summary>
    public string? Model { get; set; }
    /// <summary>How many images (the API's n), 1-10.</summary>
    public int? Count { get; set; }
    /// <summary>
    /// The API's size as sent: pixels (1024x1536), "auto", a preset (2K), or a ratio as the service takes it (16x9, or
    /// 16:9 for the task API). Which of them a model takes is its family's (Models.ModelFamilies).
    /// </summary>
    public string? Size
    {
        get => (string?)this[BodyFields.Size];
        set => this[BodyFields.Size] = value;
    }
    /// <summary>1k, 2k, 4k for the Gemini 3 models; other families have their own words (Models.ModelFamilies).</summary>
    public string? Quality
    {
        get => (string?)this[BodyFields.Quality];
        set => this[BodyFields.Quality] = value;
    }
    /// <summary>
    /// 1-3 previews streamed before the final image (the API's stream and partial_images); the answer is then
    /// a server-sent event stream.
    /// </summary>
    public int? PartialImages { get; set; }
    /// <summary>
    /// Further fields of the body, sent as given: plain .NET values only (text, numbers, booleans, null,
    /// IList, IDictionary with text keys). A name that a field of <see cref="BodyFields"/> also sets is refused.
    /// </summary>
    public IDictionary<string, object?> AdditionalFields { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>
    /// A field of <see cref="BodyFields"/> that this endpoint takes; null when not set. Values are sent as given
    /// (text, or an int for whole numbers) and checked by <see cref="Validate"/>.
    /// </summary>
    public object? this[BodyField field]
    {
        get => ValueOf(field, Model ?? "");
        set
        {
            if (field.Value.IsHeld || (field.Endpoints & Endpoints) == 0)
            {
                throw new ArgumentException($"The field '{field.Name}' is not set by row on {Endpoint}.", nameof(field));
            }
            if (value is null)
            {
                _values.Remove(field);
            }
            else
            {
                _values[field] = value;
            }
        }
    }

    /// <summary>A field's value as it goes to <paramref name="model"/>: a held row reads the request, others are as set.</summary>
    internal object? ValueOf(BodyField field, string model) =>
        field.Value.IsHeld ? field.Value.Read(this, model) : _values.TryGetValue(field, out object? value) ? value : null;

    internal abstract BodyEndpoints Endpoints { get; }
    internal string Endpoint => Endpoints.Path();
    internal abstract IEnumerable<InputImage> Files { get; }

    /// <summary>What an error about this request names as its target, so an error in a batch says which item it was.</summary>
    internal virtual string ErrorTarget => Prompt;

    /// <summary>The fields this request sends, in table order, with their values; the model is the one it is sent to.</summary>
    internal IEnumerable<(BodyField Field, object Value)> Fields(string model)
    {
        foreach (var field in BodyFields.For(Endpoints))
        {
            object? value = ValueOf(field, model);
            if (value is not null)
            {
                yield return (field, value);
            }
        }
    }

    /// <summary>Throws an InvalidInput error that names the field when the request cannot be sent as it is.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(Prompt))
        {
            throw TuZiImagesException.InvalidInput("The prompt is empty.", Prompt, "Describe the image you want.");
        }
        if (Count is { } count && (count < 1 || count > 10))
        {
            throw TuZiImagesException.InvalidInput($"The image count {count} is outside 1-10.", Prompt);
        }
        if (Size is not null && Size.Trim().Length == 0)
        {
            // The model's family decides which sizes it takes (Models.ModelFamilies); an unknown model's go as written.
            throw TuZiImagesException.InvalidInput("The size is empty.", Prompt, "Give -Size or -AspectRatio, or leave both out.");
        }
        foreach (var field in _values)
        {
            field.Key.Value.Check(field.Key, field.Value, Prompt);
        }
        ValidateOutputFields();
        AdditionalFieldValues.Validate(AdditionalFields, NamedFields(), Prompt);
    }

    private void ValidateOutputFields()
    {
        // No model can make a transparent JPEG: refusing here saves a billed request that cannot succeed.
        if (string.Equals((this[BodyFields.Background] as string)?.Trim(), "transparent", StringComparison.OrdinalIgnoreCase)
            && this[BodyFields.OutputFormat] is string format
            && (string.Equals(format.Trim(), "jpeg", StringComparison.OrdinalIgnoreCase) || string.Equals(format.Trim(), "jpg", StringComparison.OrdinalIgnoreCase)))
        {
            throw TuZiImagesException.InvalidInput("A transparent background cannot be saved as JPEG, which has no transparency.", Prompt,
                "Use -OutputFormat png or webp with -Background transparent.");
        }
        if (PartialImages is { } partial && (partial < 1 || partial > 3))
        {
            throw TuZiImagesException.InvalidInput($"The number of previews {partial} is outside 1-3.", Prompt);
        }
    }

    /// <summary>The body fields this request sets itself, each with the parameter that sets it, for conflict errors.</summary>
    internal IEnumerable<(string Field, string Parameter)> NamedFields() =>
        Fields(Model ?? "").Select(f => (f.Field.Name, f.Field.ParameterText));

    /// <summary>
    /// What the request puts on the wire for this model, endpoint and fields and files, for verbose output and
    /// -WhatIf; never the key. Throws InvalidInput when the model cannot take the request as it is.
    /// </summary>
    public string Describe(string model) => Plan(model).Describe();

    /// <summary>The wire plan for the model the request goes to (its own, else <paramref name="defaultModel"/>).</summary>
    internal WirePlan Plan(string defaultModel) => WirePlan.For(this, Model ?? defaultModel);

    /// <summary>
    /// The parameters as the person gave them, where several made one field (-AspectRatio 16:9 sent as size 16x9 or
    /// 1536x1024): the image's record keeps them, so the same request can be made again for another model.
    /// </summary>
    public IDictionary<string, string> GivenParameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A short hash of what decides the images this request makes, for file names that the same request finds
    /// again: the rows of <see cref="BodyFields"/> that decide the image, and every -AdditionalParameter field.
    /// </summary>
    public string IdentityHash(string defaultModel)
    {
        var identity = new RequestIdentity();
        identity.Add("endpoint", Endpoint);
        foreach (var (name, value, row) in DecidingFields(defaultModel))
        {
            if (row is null)
            {
                identity.AddJson(name, value);
            }
            else
            {
                identity.AddValue(name, value!);
            }
        }
        return identity.Hash();
    }

    /// <summary>
    /// What decides the images, in the identity's order: the deciding rows (null: the row's value when unset), the
    /// -AdditionalParameter fields by name (no row), then the rows hashed after them. The identity and the image's
    /// record both read this, so a field added to the table is in both.
    /// </summary>
    internal IEnumerable<(string Name, object? Value, BodyField? Row)> DecidingFields(string defaultModel)
    {
        foreach (var field in Rows(defaultModel, FieldIdentity.Decides))
        {
            yield return field;
        }
        foreach (var field in AdditionalFields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            yield return (field.Key, field.Value, null);
        }
        foreach (var field in Rows(defaultModel, FieldIdentity.DecidesAfterExtras))
        {
            yield return field;
        }
    }

    private IEnumerable<(string Name, object? Value, BodyField? Row)> Rows(string defaultModel, FieldIdentity group)
    {
        foreach (var field in BodyFields.For(Endpoints).Where(f => f.Identity == group))
        {
            object? value = ValueOf(field, defaultModel);
            if ((value ?? field.UnsetMeans) is { } counted)
            {
                yield return (field.Name, counted, field);
            }
        }
    }

    internal static string FormatBytes(long bytes) =>
        bytes >= 1 << 20 ? (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : bytes >= 1 << 10 ? (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " B";
}
