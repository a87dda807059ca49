using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using TuZiImages.Core;

namespace TuZiImages;

/// <summary>Tab completion from a fixed list; anything else typed is still accepted.</summary>
public abstract class ListCompleter : IArgumentCompleter
{
    protected abstract IEnumerable<(string Value, string Tooltip)> Values { get; }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        return Values
            .Where(v => v.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v.Value.IndexOfAny(new[] { ' ', ':' }) >= 0 ? "'" + v.Value + "'" : v.Value, v.Value, CompletionResultType.ParameterValue, v.Tooltip));
    }
}

public sealed class ModelCompleter : ListCompleter
{
    /// <summary>The service's common models; it changes them often, so this is a help, not a limit.</summary>
    internal static readonly (string, string)[] Models =
    {
        ("gemini-3-pro-image-preview", "Nano Banana Pro: 1k/2k/4k quality, aspect ratios, up to 14 reference images (default)"),
        ("gemini-3-pro-image-preview-hd", "Nano Banana Pro at 4K"),
        ("gemini-3.1-flash-image-preview", "Gemini 3.1 Flash Image: fast"),
        ("gemini-2.5-flash-image", "Nano Banana (Gemini 2.5 Flash Image)"),
        ("gpt-image-1", "OpenAI gpt-image-1"),
        ("gpt-image-1.5", "OpenAI gpt-image-1.5"),
        ("gpt-image-2", "OpenAI gpt-image-2"),
        ("dall-e-3", "OpenAI DALL-E 3"),
        ("flux-kontext-pro", "FLUX.1 Kontext pro"),
        ("flux-kontext-max", "FLUX.1 Kontext max"),
        ("doubao-seedream-4-0-250828", "ByteDance Seedream 4.0"),
    };

    protected override IEnumerable<(string Value, string Tooltip)> Values => Models;
}

public sealed class AspectRatioCompleter : ListCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> Values =>
        ImageSizes.CommonAspectRatios.Select(r => (r, $"{r} (sent as size {ImageSizes.FromAspectRatio(r)})"));
}

public sealed class QualityCompleter : ListCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> Values => new[]
    {
        ("1k", "About 1024 px on the long side (default)"),
        ("2k", "About 2048 px; ~1.5 MB per image"),
        ("4k", "About 4096 px; ~3 MB per image, often two minutes or more"),
    };
}

public sealed class SizeCompleter : ListCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> Values => ImageSizes.CommonSizes.Select(s => (s, s));
}
