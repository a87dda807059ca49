using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Bodies;

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
