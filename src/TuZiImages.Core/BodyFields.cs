using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TuZiImages.Core;

/// <summary>
/// Every field of the two request bodies, one row each, in the order they are sent. The JSON body, the multipart
/// body, the -AdditionalParameter conflicts, the -SkipExisting identity, the -WhatIf text and the completion of
/// field values all read this table: a new simple field is one row here plus its cmdlet parameter.
/// </summary>
public static class BodyFields
{
    private const BodyEndpoints Both = BodyEndpoints.Generations | BodyEndpoints.Edits;
    private const BodyEndpoints Generations = BodyEndpoints.Generations;
    private const BodyEndpoints Edits = BodyEndpoints.Edits;
    private const FieldIdentity None = FieldIdentity.None;
    private const FieldIdentity Decides = FieldIdentity.Decides;
    private const FieldIdentity AfterExtras = FieldIdentity.DecidesAfterExtras;

    /// <summary>The table. Wire name, the parameter that sets it, the endpoints that take it, identity, value.</summary>
    public static readonly IReadOnlyList<BodyField> All = new BodyField[]
    {
        new("model", "Model", Both, Decides, FieldValue.Held((r, model) => r.Model ?? model)),
        new("prompt", "Prompt", Both, Decides, FieldValue.Held((r, _) => r.Prompt), describe: _ => null),
        new("n", "Count", Both, Decides, FieldValue.Held((r, _) => r.Count), unsetMeans: 1),
        new("size", "Size", Both, Decides, FieldValue.Derived, alsoSetBy: "AspectRatio"),
        new("quality", "Quality", Both, Decides, FieldValue.Derived),
        new("response_format", "ResponseFormat", Both, None, FieldValue.OneOf(
            ("url", "a link to the image, valid for a limited time"),
            ("b64_json", "the image's bytes in the answer"))),
        new("style", "Style", Generations, AfterExtras, FieldValue.Text),
        new("user", "User", Both, None, FieldValue.Text),
        new("background", "Background", Both, Decides, FieldValue.Word(
            ("transparent", "gpt-image: a transparent background (png or webp output)"),
            ("opaque", "gpt-image: an opaque background"),
            ("auto", "gpt-image: the model chooses (default)"))),
        new("moderation", "Moderation", Generations, AfterExtras, FieldValue.Word(
            ("auto", "gpt-image: standard filtering (default)"),
            ("low", "gpt-image: less restrictive filtering"))),
        new("input_fidelity", "InputFidelity", Edits, AfterExtras, FieldValue.Word(
            ("high", "gpt-image: keep faces, logos and details of the input closely"),
            ("low", "gpt-image: looser, cheaper (default)"))),
        new("output_format", "OutputFormat", Both, Decides, FieldValue.Word(
            ("png", "gpt-image: lossless, may be transparent (default)"),
            ("jpeg", "gpt-image: smaller files, no transparency; see -OutputCompression"),
            ("webp", "gpt-image: small files, may be transparent; see -OutputCompression"))),
        new("output_compression", "OutputCompression", Both, Decides, FieldValue.Integer(0, 100)),
        // Previews change how the answer comes, not the image, so neither counts in the identity.
        new("stream", "PartialImages", Both, None, FieldValue.Held((r, _) => r.PartialImages is null ? null : true), describe: _ => null),
        new("partial_images", "PartialImages", Both, None, FieldValue.Held((r, _) => r.PartialImages),
            describe: v => $"{Text(v)} streamed preview(s)"),
        // Files go last: the JSON body streams them after everything else, and the multipart body follows suit.
        new("image", "ReferenceImage", Generations, AfterExtras,
            FieldValue.Files(r => r is GenerationRequest { ReferenceImages.Count: > 0 } g ? g.ReferenceImages : null), describe: DescribeImages),
        new("image", "Path", Edits, AfterExtras, FieldValue.Files(r => (r as EditRequest)?.Images), describe: DescribeImages),
        new("mask", "Mask", Edits, AfterExtras, FieldValue.Files(r => (r as EditRequest)?.Mask),
            describe: v => "mask " + DescribeFile((InputImage)v)),
    };

    // Rows that code outside the table needs by name: a value it sets itself, or a check across two fields.
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

    /// <summary>The rows an endpoint takes, in the order they are sent.</summary>
    public static IEnumerable<BodyField> For(BodyEndpoints endpoint) => All.Where(f => (f.Endpoints & endpoint) != 0);

    /// <summary>The row that a cmdlet parameter sets on an endpoint, or null.</summary>
    public static BodyField? ForParameter(string parameter, BodyEndpoints endpoint) =>
        For(endpoint).FirstOrDefault(f => string.Equals(f.Parameter, parameter, StringComparison.OrdinalIgnoreCase));

    private static BodyField Row(string name) => All.Single(f => f.Name == name);

    internal static string Text(object value) => value switch
    {
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string DescribeFile(InputImage file) => $"{file.FileName} ({ImageRequest.FormatBytes(file.Length)})";

    private static string DescribeImages(object value)
    {
        var images = ((IEnumerable)value).Cast<object>().Select(i => i switch
        {
            InputImage file => DescribeFile(file),
            ReferenceImage { File: { } file } => DescribeFile(file),
            _ => i.ToString() ?? "",
        }).ToList();
        return $"{images.Count} image(s): " + string.Join(", ", images);
    }
}

/// <summary>Which endpoints take a field.</summary>
[Flags]
public enum BodyEndpoints
{
    /// <summary>POST /v1/images/generations, a JSON body.</summary>
    Generations = 1,
    /// <summary>POST /v1/images/edits, a multipart body.</summary>
    Edits = 2,
}

/// <summary>Whether a field decides the image, and so goes into the identity hash that -SkipExisting names carry.</summary>
public enum FieldIdentity
{
    /// <summary>How the answer comes, not what it shows (response_format, user, previews).</summary>
    None,
    /// <summary>Hashed in table order, before the -AdditionalParameter fields.</summary>
    Decides,
    /// <summary>
    /// Hashed after the -AdditionalParameter fields, where these were first hashed; moving them would rename every
    /// file saved before. Either place keeps old names for a new field, which older requests never had.
    /// </summary>
    DecidesAfterExtras,
}

/// <summary>One row of <see cref="BodyFields"/>.</summary>
public sealed class BodyField
{
    private readonly Func<object, string?>? _describe;

    internal BodyField(string name, string parameter, BodyEndpoints endpoints, FieldIdentity identity, FieldValue value,
        string? alsoSetBy = null, object? unsetMeans = null, Func<object, string?>? describe = null)
    {
        Name = name;
        Parameter = parameter;
        Endpoints = endpoints;
        Identity = identity;
        Value = value;
        AlsoSetBy = alsoSetBy;
        UnsetMeans = unsetMeans;
        _describe = describe;
    }

    /// <summary>The name in the body.</summary>
    public string Name { get; }
    /// <summary>The cmdlet parameter that sets it, without the dash.</summary>
    public string Parameter { get; }
    /// <summary>Another parameter that sets it (size: -AspectRatio).</summary>
    public string? AlsoSetBy { get; }
    public BodyEndpoints Endpoints { get; }
    public FieldIdentity Identity { get; }
    public FieldValue Value { get; }
    /// <summary>What the service takes when the field is not sent; the identity and -WhatIf count it so.</summary>
    public object? UnsetMeans { get; }

    /// <summary>The parameters as a conflict error names them.</summary>
    public string ParameterText => "-" + Parameter + (AlsoSetBy is null ? "" : " or -" + AlsoSetBy);

    /// <summary>The words the completer offers; any other word is still sent unless the value is one of a fixed set.</summary>
    public IReadOnlyList<(string Value, string Tooltip)> Choices => Value.Choices;

    /// <summary>The field in the -WhatIf and verbose text, or null to leave it out there.</summary>
    internal string? Describe(object value) => _describe is not null ? _describe(value) : $"{Name} {BodyFields.Text(value)}";

    public override string ToString() => Name;
}

/// <summary>
/// What a field's value is and where it comes from: held by the request itself (prompt, model, n, files), derived
/// by <see cref="Invocation.ImageCommand"/> from several parameters (size, quality), or set from its parameter
/// alone, normalised and checked here (text, a word, a whole number).
/// </summary>
public abstract class FieldValue
{
    private static readonly (string, string)[] NoChoices = new (string, string)[0];

    private FieldValue(IReadOnlyList<(string Value, string Tooltip)>? choices = null) => Choices = choices ?? NoChoices;

    public IReadOnlyList<(string Value, string Tooltip)> Choices { get; }

    /// <summary>True when the value is the request's own property, not a value set by row.</summary>
    public virtual bool IsHeld => false;

    /// <summary>True when the cmdlet parameter of the same name sets it directly.</summary>
    public virtual bool FromParameter => true;

    /// <summary>The value the request holds itself, for held rows.</summary>
    internal virtual object? Read(ImageRequest request, string model) => null;

    /// <summary>A value the row takes, for tests that send every row.</summary>
    internal virtual object Example => "example text";

    /// <summary>The value as a person typed it, made into what is sent; null means not set.</summary>
    internal virtual object? Normalize(object? value) => value;

    /// <summary>Throws an InvalidInput error naming the parameter when the value cannot be sent.</summary>
    internal virtual void Check(BodyField field, object value, string target)
    {
    }

    /// <summary>Sent as given: a text.</summary>
    internal static FieldValue Text { get; } = new TextValue();

    /// <summary>Set by ImageCommand from -Size, -AspectRatio, -Quality and the model; the request carries it as a row.</summary>
    internal static FieldValue Derived { get; } = new DerivedValue();

    /// <summary>A word of the service: trimmed and lower-cased; the choices are offered, others still sent.</summary>
    internal static FieldValue Word(params (string, string)[] choices) => new WordValue(choices, only: false);

    /// <summary>A word of the service that must be one of the choices.</summary>
    internal static FieldValue OneOf(params (string, string)[] choices) => new WordValue(choices, only: true);

    internal static FieldValue Integer(int min, int max) => new IntegerValue(min, max);

    internal static FieldValue Held(Func<ImageRequest, string, object?> read) => new HeldValue(read, files: false);

    /// <summary>Local files (or, for generations, URLs): multipart file parts, or a JSON array streamed at the end.</summary>
    internal static FieldValue Files(Func<ImageRequest, object?> read) => new HeldValue((r, _) => read(r), files: true);

    /// <summary>True for image files (and reference URLs), which go after every other field.</summary>
    public bool IsFiles => this is HeldValue { HoldsFiles: true };

    private sealed class TextValue : FieldValue
    {
        internal override void Check(BodyField field, object value, string target)
        {
            if (value is not string)
            {
                throw TuZiImagesException.InvalidInput($"-{field.Parameter} is a {value.GetType().Name}; it takes text.", target);
            }
        }
    }

    private sealed class DerivedValue : FieldValue
    {
        public override bool FromParameter => false;

        internal override void Check(BodyField field, object value, string target) => Text.Check(field, value, target);
    }

    private sealed class WordValue : FieldValue
    {
        private readonly bool _only;

        public WordValue((string, string)[] choices, bool only) : base(choices) => _only = only;

        internal override object Example => Choices[Choices.Count - 1].Value;

        // The service's words are lower case; "PNG" or " webp " is what a person types for them.
        internal override object? Normalize(object? value) =>
            value is string text ? (string.IsNullOrWhiteSpace(text) ? null : text.Trim().ToLowerInvariant()) : value;

        internal override void Check(BodyField field, object value, string target)
        {
            Text.Check(field, value, target);
            if (_only && !Choices.Any(c => c.Value == (string)value))
            {
                throw TuZiImagesException.InvalidInput(
                    $"-{field.Parameter} '{value}' is not one of " + string.Join(", ", Choices.Select(c => c.Value)) + ".", target);
            }
        }
    }

    private sealed class IntegerValue : FieldValue
    {
        private readonly int _min;
        private readonly int _max;

        public IntegerValue(int min, int max)
        {
            _min = min;
            _max = max;
        }

        internal override object Example => (int)(_min + ((long)_max - _min) / 2);

        internal override void Check(BodyField field, object value, string target)
        {
            if (value is not int number)
            {
                throw TuZiImagesException.InvalidInput($"-{field.Parameter} is a {value.GetType().Name}; it takes a whole number.", target);
            }
            if (number < _min || number > _max)
            {
                throw TuZiImagesException.InvalidInput(
                    $"-{field.Parameter} {number.ToString(CultureInfo.InvariantCulture)} is outside {_min.ToString(CultureInfo.InvariantCulture)}-{_max.ToString(CultureInfo.InvariantCulture)}.", target);
            }
        }
    }

    private sealed class HeldValue : FieldValue
    {
        private readonly Func<ImageRequest, string, object?> _read;

        public HeldValue(Func<ImageRequest, string, object?> read, bool files)
        {
            _read = read;
            HoldsFiles = files;
        }

        public bool HoldsFiles { get; }

        public override bool IsHeld => true;

        public override bool FromParameter => false;

        internal override object? Read(ImageRequest request, string model) => _read(request, model);
    }
}
