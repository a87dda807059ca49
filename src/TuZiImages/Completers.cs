using System.Collections.Generic;
using System.Collections;
using System.Linq;
using System.Management.Automation.Language;
using System.Management.Automation;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Models;
using TuZiImages.Core;

namespace TuZiImages;

/// <summary>Tab completion from a fixed list; anything else typed is still accepted.</summary>
public abstract class ListCompleter : IArgumentCompleter
{
    protected abstract IEnumerable<(string Value, string Tooltip)> Values { get; }

    /// <summary>The values to offer given what else the command will get; by default the fixed list.</summary>
    protected virtual IEnumerable<(string Value, string Tooltip)> ValuesFor(CommandLine line) => Values;

    /// <summary>The values to offer for one parameter; by default those for the command line.</summary>
    protected virtual IEnumerable<(string Value, string Tooltip)> ValuesFor(string parameterName, CommandLine line) => ValuesFor(line);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        return ValuesFor(parameterName, new CommandLine(commandName, fakeBoundParameters))
            .Where(v => v.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v.Value.IndexOfAny(new[] { ' ', ':' }) >= 0 ? "'" + v.Value + "'" : v.Value, v.Value, CompletionResultType.ParameterValue, v.Tooltip));
    }
}

/// <summary>
/// What a command being completed will get for a parameter: what is typed on the line, else what
/// $PSDefaultParameterValues gives it (read only when needed, since that runs script).
/// </summary>
public sealed class CommandLine
{
    private readonly string _commandName;
    private readonly IDictionary? _typed;

    public CommandLine(string commandName, IDictionary? typed)
    {
        _commandName = commandName ?? "";
        _typed = typed;
    }

    public string? Text(string parameter)
    {
        object? value = _typed is not null && _typed.Contains(parameter) ? _typed[parameter] : FromDefaults(parameter);
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }
        return value switch
        {
            string text => text.Trim().Trim('\'', '"'),
            Uri uri => uri.OriginalString,
            _ => null,
        };
    }

    private object? FromDefaults(string parameter)
    {
        IDictionary? defaults;
        try
        {
            // Completers run on the pipeline thread of TabExpansion2, in the user's runspace.
            defaults = ScriptBlock.Create("$PSDefaultParameterValues").Invoke().FirstOrDefault()?.BaseObject as IDictionary;
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException)
        {
            return null;
        }
        if (defaults is null || (defaults.Contains("Disabled") && LanguagePrimitives.IsTrue(defaults["Disabled"])))
        {
            return null;
        }
        foreach (DictionaryEntry entry in defaults)
        {
            string key = entry.Key as string ?? "";
            int colon = key.LastIndexOf(':');
            if (colon > 0 && entry.Value is not ScriptBlock
                && key.Substring(colon + 1).Trim().Equals(parameter, StringComparison.OrdinalIgnoreCase)
                && new WildcardPattern(key.Substring(0, colon).Trim(), WildcardOptions.IgnoreCase).IsMatch(_commandName))
            {
                return entry.Value;
            }
        }
        return null;
    }
}

public sealed class ModelCompleter : ListCompleter
{
    /// <summary>The service's common models, from the family table; it changes them often, so this is a help, not a limit.</summary>
    internal static readonly (string, string)[] Models = ModelFamilies.KnownModels.Select(m => (m.Id, m.Description)).ToArray();

    protected override IEnumerable<(string Value, string Tooltip)> Values => Models;

    /// <summary>What Get-TuZiModel listed for this address in this session comes first: the key's group really has those.</summary>
    protected override IEnumerable<(string Value, string Tooltip)> ValuesFor(CommandLine line)
    {
        var listed = BaseAddressOf(line) is { } address ? ModelCatalog.For(address) : Array.Empty<string>();
        var known = Models.ToDictionary(m => m.Item1, m => m.Item2, StringComparer.OrdinalIgnoreCase);
        foreach (string id in listed)
        {
            yield return (id, known.TryGetValue(id, out string? tip) ? tip + " (your key's group has it)" : id + " (listed by Get-TuZiModel for your key)");
        }
        foreach (var model in Models)
        {
            if (!listed.Contains(model.Item1, StringComparer.OrdinalIgnoreCase))
            {
                yield return model;
            }
        }
    }

    /// <summary>The address a command would use: -BaseUri (typed or a default value), else $env:TUZI_BASE_URL, else the default.</summary>
    internal static Uri? BaseAddressOf(CommandLine line)
    {
        string? text = line.Text("BaseUri") ?? Environment.GetEnvironmentVariable(TuZiClientOptions.BaseUrlVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return TuZiClientOptions.DefaultBaseAddress;
        }
        return Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var address) ? address : null;
    }
}

/// <summary>Completion that depends on the model: the -Model typed or defaulted, else $env:TUZI_IMAGE_MODEL, else the default.</summary>
public abstract class FamilyCompleter : ListCompleter
{
    protected abstract IEnumerable<(string Value, string Tooltip)> ValuesFor(string model, ModelFamily family);

    /// <summary>For a model not known here: what every family takes.</summary>
    protected override IEnumerable<(string Value, string Tooltip)> Values => ValuesFor(TuZiClientOptions.DefaultModel, ModelFamilies.Unknown);

    protected override IEnumerable<(string Value, string Tooltip)> ValuesFor(CommandLine line)
    {
        string model = line.Text("Model") is { Length: > 0 } given ? given : TuZiClientOptions.ModelFromEnvironment();
        return ValuesFor(model, ModelFamilies.Find(model));
    }
}

/// <summary>The family's ratios, each with the size it is sent as; none for a family that takes no ratios (Seedream).</summary>
public sealed class AspectRatioCompleter : FamilyCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> ValuesFor(string model, ModelFamily family) =>
        family.AspectRatio == RatioMapping.NotAccepted ? Array.Empty<(string, string)>()
            : family.AspectRatios.Select(r => (r, $"{r} (sent to {model} as size {family.SizeFor(model, r, null, null)})"));
}

/// <summary>Each model family has its own quality words: the -Model already typed decides which are offered.</summary>
public sealed class QualityCompleter : FamilyCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> ValuesFor(string model, ModelFamily family) =>
        family.Qualities.Select(q => (q.Word, q.Description));
}

/// <summary>The sizes the family takes (1536x1024... for gpt-image-1, 2K/4K for Seedream 4.5), then examples of free pixel sizes.</summary>
public sealed class SizeCompleter : FamilyCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> ValuesFor(string model, ModelFamily family) =>
        family.CompletionSizes().Select(s => (s, $"{s} ({family.Name}: {family.DescribeSizes()})"));
}

/// <summary>The words a body field offers, from its row in <see cref="BodyFields"/>: -Background, -OutputFormat...</summary>
public sealed class FieldValueCompleter : ListCompleter
{
    protected override IEnumerable<(string Value, string Tooltip)> Values => Array.Empty<(string, string)>();

    protected override IEnumerable<(string Value, string Tooltip)> ValuesFor(string parameterName, CommandLine line) =>
        BodyFields.ForParameter(parameterName, BodyEndpoints.Generations | BodyEndpoints.Edits)?.Choices ?? Values;
}
