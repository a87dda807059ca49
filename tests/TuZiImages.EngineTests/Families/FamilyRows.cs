using System;
using System.Collections.Generic;
using System.Linq;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Families;

/// <summary>
/// One row of the module's family table, read through PowerShell from the module a session imported (as any user
/// could read it), so the dialect tests cover every row, a new one included, without a line of their own.
/// </summary>
internal sealed record FamilyRow(
    string Name, string[] Models, string Examples, string Route, bool Removed, string[] Fields,
    string Generate, string GenerateWithReferences, string Edit)
{
    /// <summary>A model to run the row with: the first it lists, or for a row that lists none, its first example.</summary>
    public string Model => Models.FirstOrDefault() ?? Examples.Split(',', ';', ' ')[0];

    /// <summary>The parameters of <see cref="ServiceDialect.Parameters"/> the spec says the family takes; what the row says for a row the spec does not know.</summary>
    public IReadOnlyCollection<string> Takes =>
        ServiceDialect.Takes.TryGetValue(Name, out var spec) ? spec
        : Removed || Route == "Tasks" ? Array.Empty<string>()
        : ServiceDialect.Parameters.Where(p => Fields.Contains(p.Wire[0].Name)).Select(p => p.Parameter).ToArray();

    /// <summary>Where each operation goes and how its images ride: the spec's, or the row's for a row the spec does not know.</summary>
    public ServiceDialect.Routes Routes => ServiceDialect.Carriers.TryGetValue(Name, out var spec) ? spec
        : Removed ? new(ServiceDialect.Refused, ServiceDialect.Refused, ServiceDialect.Refused, ServiceDialect.Refused)
        : new(Path(Generate), Carry(GenerateWithReferences, url: false), Carry(GenerateWithReferences, url: true), Carry(Edit, url: false));

    public static IReadOnlyList<FamilyRow> Read(EngineSession engine)
    {
        var run = engine.Run("""
            foreach ($f in [TuZiImages.Core.Models.ModelFamilies]::All) {
                $reference = if ($f.GenerateWithReferences) { $f.GenerateWithReferences } else { $f.Generate }
                [pscustomobject]@{
                    Name = $f.Name; Examples = $f.Examples; Route = [string]$f.Route; Removed = $null -ne $f.Removed
                    Models = [string[]]@($f.Models | ForEach-Object { $_.Item1 })
                    Fields = [string[]]@($f.Fields | ForEach-Object { $_.Field })
                    Generate = "$($f.Generate.Endpoint) $($f.Generate.Carrier)"
                    GenerateWithReferences = "$($reference.Endpoint) $($reference.Carrier)"
                    Edit = "$($f.Edit.Endpoint) $($f.Edit.Carrier)"
                }
            }
            """).ThrowIfFailed();
        return run.Output.Select(o => new FamilyRow(
            o.Prop<string>("Name")!, o.Prop<string[]>("Models") ?? Array.Empty<string>(), o.Prop<string>("Examples")!, o.Prop<string>("Route")!,
            o.Prop<bool>("Removed"), o.Prop<string[]>("Fields") ?? Array.Empty<string>(),
            o.Prop<string>("Generate")!, o.Prop<string>("GenerateWithReferences")!, o.Prop<string>("Edit")!)).ToList();
    }

    private static string Path(string route) => route.Split(' ')[0] switch
    {
        "Generations" => ServiceDialect.Generations,
        "Edits" => ServiceDialect.Edits,
        _ => ServiceDialect.Tasks,
    };

    private static string Carry(string route, bool url) => route.Split(' ')[1] switch
    {
        "JsonImageArray" => Path(route) + " json",
        "ImageParts" when !url => Path(route) + " parts",
        "InputReferenceParts" when !url => Path(route) + " input_reference",
        "PromptUrls" when url => Path(route) + " prompt",
        _ => ServiceDialect.Refused,
    };
}
