using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Bodies;

/// <summary>
/// Every field of the request bodies, one row each, in the order they are sent. The wire plan (and through it the
/// JSON, multipart and task bodies and the -WhatIf text), the -AdditionalParameter conflicts, the -SkipExisting
/// identity and the completion of field values all read this table: a new simple field is one row here plus its
/// cmdlet parameter, and the families that take it say so in Models.ModelFamilies.
/// </summary>
/// <remarks>
/// A row's endpoints are the routes that can carry it. The image rows are the exception: their endpoint is the
/// request that holds them, and where they go is the family's reference carrier (Models.ReferenceCarrier).
/// </remarks>
public static class BodyFields
{
    private const BodyEndpoints Both = BodyEndpoints.Generations | BodyEndpoints.Edits;
    private const BodyEndpoints Generations = BodyEndpoints.Generations;
    private const BodyEndpoints Edits = BodyEndpoints.Edits;
    private const BodyEndpoints All3 = BodyEndpoints.Generations | BodyEndpoints.Edits | BodyEndpoints.Tasks;
    private const FieldIdentity None = FieldIdentity.None;
    private const FieldIdentity Decides = FieldIdentity.Decides;
    private const FieldIdentity AfterExtras = FieldIdentity.DecidesAfterExtras;

    /// <summary>The table. Wire name, the parameter that sets it, the endpoints that take it, identity, value.</summary>
    public static readonly IReadOnlyList<BodyField> All = new BodyField[]
    {
        new("model", "Model", All3, Decides, FieldValue.Held((r, model) => r.Model ?? model)),
        new("prompt", "Prompt", All3, Decides, FieldValue.Held((r, _) => r.Prompt)),
        new("n", "Count", Both, Decides, FieldValue.Held((r, _) => r.Count), unsetMeans: 1),
        new("size", "Size", All3, Decides, FieldValue.Derived, alsoSetBy: "AspectRatio"),
        new("quality", "Quality", Both, Decides, FieldValue.Derived),
        new("response_format", "ResponseFormat", Both, None, FieldValue.OneOf(
            ("url", "a link to the image, valid for a limited time"),
            ("b64_json", "the image's bytes in the answer"))),
        new("style", "Style", Generations, AfterExtras, FieldValue.Text),
        new("user", "User", Both, None, FieldValue.Text),
        new("background", "Background", Both, Decides, FieldValue.Word(
            ("transparent", "a transparent background (png or webp output)"),
            ("opaque", "an opaque background"),
            ("auto", "the model chooses (default)"))),
        new("moderation", "Moderation", Generations, AfterExtras, FieldValue.Word(
            ("auto", "standard filtering (default)"),
            ("low", "less restrictive filtering"))),
        new("input_fidelity", "InputFidelity", Edits, AfterExtras, FieldValue.Word(
            ("high", "keep faces, logos and details of the input closely"),
            ("low", "looser, cheaper (default)"))),
        new("output_format", "OutputFormat", Both, Decides, FieldValue.Word(
            ("png", "lossless, may be transparent"),
            ("jpeg", "smaller files, no transparency; see -OutputCompression"),
            ("webp", "small files, may be transparent; see -OutputCompression"))),
        new("output_compression", "OutputCompression", Both, Decides, FieldValue.Integer(0, 100)),
        // Unset, it adds nothing to the identity, so files named before it existed keep their names.
        new("seed", "Seed", Both, Decides, FieldValue.Integer(0, int.MaxValue)),
        // Previews change how the answer comes, not the image, so neither counts in the identity.
        new("stream", "PartialImages", Both, None, FieldValue.Held((r, _) => r.PartialImages is null ? null : true)),
        new("partial_images", "PartialImages", Both, None, FieldValue.Held((r, _) => r.PartialImages)),
        // Files go last: the JSON body streams them after everything else, and the multipart body follows suit.
        new("image", "ReferenceImage", Generations, AfterExtras,
            FieldValue.Files(r => r is GenerationRequest { ReferenceImages.Count: > 0 } g ? g.ReferenceImages : null)),
        new("image", "Path", Edits, AfterExtras, FieldValue.Files(r => (r as EditRequest)?.Images)),
        new("mask", "Mask", Edits, AfterExtras, FieldValue.Files(r => (r as EditRequest)?.Mask)),
    };

    // Rows that code outside the table needs by name: a value it sets itself, or a check across two fields.
    public static BodyField Model { get; } = Row("model");
    public static BodyField Prompt { get; } = Row("prompt");
    public static BodyField Count { get; } = Row("n");
    public static BodyField Size { get; } = Row("size");
    public static BodyField Quality { get; } = Row("quality");
    public static BodyField ResponseFormat { get; } = Row("response_format");
    public static BodyField Style { get; } = Row("style");
    public static BodyField User { get; } = Row("user");
    public static BodyField Background { get; } = Row("background");
    public static BodyField Moderation { get; } = Row("moderation");
    public static BodyField InputFidelity { get; } = Row("input_fidelity");
    public static BodyField OutputFormat { get; } = Row("output_format");
    public static BodyField OutputCompression { get; } = Row("output_compression");
    public static BodyField Seed { get; } = Row("seed");
    public static BodyField Mask { get; } = Row("mask");

    /// <summary>The rows an endpoint takes, in the order they are sent.</summary>
    public static IEnumerable<BodyField> For(BodyEndpoints endpoint) => All.Where(f => (f.Endpoints & endpoint) != 0);

    /// <summary>The row that a cmdlet parameter sets on an endpoint, or null.</summary>
    public static BodyField? ForParameter(string parameter, BodyEndpoints endpoint) =>
        For(endpoint).FirstOrDefault(f => string.Equals(f.Parameter, parameter, StringComparison.OrdinalIgnoreCase));

    private static BodyField Row(string name) => All.Single(f => f.Name == name);

    /// <summary>The row of that name that is not a file row, or null: what a family's field list names.</summary>
    public static BodyField? Named(string name) => All.FirstOrDefault(f => f.Name == name && !f.Value.IsFiles);

    internal static string Text(object value) => value switch
    {
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
