using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System;
using TuZiImages.Core.Billing;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core;

namespace TuZiImages.Commands;

/// <summary>
/// What New-TuZiImage and Edit-TuZiImage share beyond <see cref="TuZiCommandBase"/>: the body fields of an image
/// request, -SkipExisting, and reading input files.
/// </summary>
public abstract class TuZiImageCommandBase : TuZiCommandBase
{
    /// <summary>url or b64_json. Bytes are always saved to a file; base64 is never printed.</summary>
    [Parameter]
    [ValidateSet("url", "b64_json")]
    public string? ResponseFormat { get; set; }

    [Parameter]
    public string? User { get; set; }

    /// <summary>Do not send a request whose output is already on disk; write the existing file(s) instead.</summary>
    [Parameter]
    public SwitchParameter SkipExisting { get; set; }

    /// <summary>
    /// The most the command may spend, in US dollars, by the service's usage since it began: once reached, no new
    /// request starts, and a request whose published price would pass it does not start.
    /// </summary>
    [Parameter]
    public decimal? BudgetUsd { get; set; }

    /// <summary>gpt-image: transparent, opaque or auto. Any word is sent; the completer offers the known ones.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FieldValueCompleter))]
    public string? Background { get; set; }

    /// <summary>gpt-image: png, jpeg or webp. The saved file's extension still comes from its bytes.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FieldValueCompleter))]
    public string? OutputFormat { get; set; }

    /// <summary>gpt-image: 0-100, for jpeg and webp output.</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int? OutputCompression { get; set; }

    /// <summary>Stream 1-3 previews before the final image, each saved beside it.</summary>
    [Parameter]
    [ValidateRange(1, 3)]
    public int? PartialImages { get; set; }

    /// <summary>Further fields of the request body, sent with the types given.</summary>
    [Parameter]
    [Alias("AdditionalBody")]
    public System.Collections.IDictionary? AdditionalParameter { get; set; }

    protected override void CheckSwitches()
    {
        base.CheckSwitches();
        if (Force && SkipExisting)
        {
            ThrowTerminatingError(ErrorRecords.From(new TuZiImagesException(TuZiErrorKind.Configuration,
                "-Force and -SkipExisting contradict each other: one replaces existing files, the other keeps them and sends nothing.")
                { RecommendedAction = "Give one of them." }));
        }
    }

    protected override void Configure(ImageCommand command) => command.UseMoney(new MoneyOptions
    {
        BudgetUsd = BudgetUsd,
        ReportSpending = Wanted("Verbose", "VerbosePreference"),
        NamePrices = Wanted("WhatIf", "WhatIfPreference") || Wanted("Confirm", null),
    });

    /// <summary>
    /// Whether a common switch is in force, given or through its preference variable: the usage and the prices are
    /// read only when something will show them.
    /// </summary>
    private bool Wanted(string parameter, string? preference)
    {
        if (MyInvocation.BoundParameters.TryGetValue(parameter, out object? given))
        {
            return given is SwitchParameter { IsPresent: true } || given is true;
        }
        return preference is not null && GetVariableValue(preference) switch
        {
            ActionPreference action => action is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore),
            SwitchParameter flag => flag.IsPresent,
            bool flag => flag,
            _ => false,
        };
    }

    /// <summary>
    /// Resolves wildcard paths to files. A path that matches nothing, or is not a file system path, is added to
    /// <paramref name="unresolved"/> as the error it is: the core decides what it means for the request.
    /// </summary>
    protected List<string> ResolvePaths(IEnumerable<string>? paths, bool literal, List<TuZiImagesException> unresolved) =>
        ProviderPaths.Resolve(this, paths, literal, unresolved.Add);

    /// <summary>The endpoint whose body fields this cmdlet sets.</summary>
    protected abstract BodyEndpoints Endpoint { get; }

    protected ImageSettings CommonSettings()
    {
        var settings = new ImageSettings
        {
            OutDirectory = ResolveOutputPath(OutDirectory),
            Force = Force,
            SkipExisting = SkipExisting,
            PartialImages = PartialImages,
            AdditionalFields = PowerShellValues.ToFields(AdditionalParameter),
            Metadata = Metadata,
        };
        // Every field whose parameter sets it alone comes as bound; the core normalises and checks it by its row.
        foreach (var field in BodyFields.For(Endpoint).Where(f => f.Value.FromParameter))
        {
            if (MyInvocation.BoundParameters.TryGetValue(field.Parameter, out object? value))
            {
                settings[field] = value is PSObject wrapped ? wrapped.BaseObject : value;
            }
        }
        return settings;
    }
}
