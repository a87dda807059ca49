using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace TuZiImages.Tests.Cmdlets;

/// <summary>
/// The shipped help, read from the built module folder, against the parameters of the built assembly: every
/// public parameter documented, and what the help says about binding is what the attributes say.
/// </summary>
public class HelpTests : IClassFixture<BuiltModule>
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private readonly BuiltModule _module;
    private readonly XDocument _help;

    public HelpTests(BuiltModule module)
    {
        _module = module;
        _help = XDocument.Load(Path.Combine(module.Directory, "en-US", "TuZiImages.dll-Help.xml"));
    }

    private XElement CommandHelp(string name) =>
        _help.Root!.Elements(Command + "command").Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name);

    private static string Text(XElement? description) =>
        string.Join(" ", description?.Elements(Maml + "para").Select(p => p.Value) ?? Enumerable.Empty<string>()).Trim();

    public static TheoryData<string> CmdletNames => new() { "New-TuZiImage", "Edit-TuZiImage" };

    public static TheoryData<string> AllCmdletNames => new() { "New-TuZiImage", "Edit-TuZiImage", "Get-TuZiModel", "Receive-TuZiImage", "Get-TuZiBalance", "Get-TuZiImageInfo" };

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_cmdlet_has_a_synopsis_a_description_inputs_outputs_and_at_least_four_examples(string name)
    {
        var help = CommandHelp(name);

        Assert.NotEmpty(Text(help.Element(Command + "details")!.Element(Maml + "description")));
        Assert.True(Text(help.Element(Maml + "description")).Length > 200);
        Assert.NotEmpty(help.Element(Command + "inputTypes")!.Elements());
        Assert.Contains("TuZiImages.Core.TuZiImageResult", help.Element(Command + "returnValues")!.Descendants(Maml + "name").Select(n => n.Value));
        var examples = help.Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.True(examples.Count >= 4, $"{name} has {examples.Count} examples");
        Assert.All(examples, e =>
        {
            Assert.Contains(name, e.Element(Dev + "code")!.Value);
            Assert.NotEmpty(string.Concat(e.Element(Dev + "remarks")!.Elements(Maml + "para").Select(p => p.Value)).Trim());
        });
        Assert.Contains(examples, e => e.Element(Dev + "code")!.Value.Contains("-WhatIf"));
        Assert.Contains(examples, e => e.Element(Dev + "code")!.Value.Contains("New-TuZiImage") && e.Element(Dev + "code")!.Value.Contains("| Edit-TuZiImage"));
    }

    [Fact]
    public void Get_TuZiModel_has_a_synopsis_a_description_examples_and_a_Name_with_wildcards_and_declares_its_output()
    {
        var help = CommandHelp("Get-TuZiModel");

        Assert.NotEmpty(Text(help.Element(Command + "details")!.Element(Maml + "description")));
        Assert.Contains("group", Text(help.Element(Maml + "description")));
        Assert.Contains("TuZiImages.Core.TuZiModel", help.Element(Command + "returnValues")!.Descendants(Maml + "name").Select(n => n.Value));
        var examples = help.Element(Command + "examples")!.Elements(Command + "example").Select(e => e.Element(Dev + "code")!.Value).ToList();
        Assert.True(examples.Count >= 4, $"Get-TuZiModel has {examples.Count} examples");
        Assert.All(examples, code => Assert.Contains("Get-TuZiModel", code));
        Assert.Contains(examples, code => code.Contains('*'));
        var name = help.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Name");
        Assert.Contains("Wildcards", Text(name.Element(Maml + "description")));
    }

    [Fact]
    public void Get_TuZiBalance_has_examples_says_what_a_service_without_billing_does_and_declares_its_output()
    {
        var help = CommandHelp("Get-TuZiBalance");

        Assert.NotEmpty(Text(help.Element(Command + "details")!.Element(Maml + "description")));
        string description = Text(help.Element(Maml + "description"));
        Assert.Contains("404", description);
        Assert.Contains("cents", description);
        Assert.Contains("TuZiImages.Core.TuZiBalance", help.Element(Command + "returnValues")!.Descendants(Maml + "name").Select(n => n.Value));
        var examples = help.Element(Command + "examples")!.Elements(Command + "example").Select(e => e.Element(Dev + "code")!.Value).ToList();
        Assert.True(examples.Count >= 3, $"Get-TuZiBalance has {examples.Count} examples");
        Assert.All(examples, code => Assert.Contains("Get-TuZiBalance", code));
        Assert.Contains(examples, code => code.Contains("-BudgetUsd"));
    }

    [Theory]
    [InlineData("New-TuZiImage", new[] { "BudgetUsd", "Background", "OutputFormat", "OutputCompression", "Moderation", "PartialImages", "AdditionalParameter", "Header" })]
    [InlineData("Edit-TuZiImage", new[] { "BudgetUsd", "Background", "InputFidelity", "OutputFormat", "OutputCompression", "PartialImages", "AdditionalParameter", "Header" })]
    [InlineData("Get-TuZiModel", new[] { "Name", "Header" })]
    public void The_new_parameters_are_documented_with_what_they_send(string name, string[] parameters)
    {
        var documented = CommandHelp(name).Element(Command + "parameters")!.Elements(Command + "parameter")
            .ToDictionary(p => p.Element(Maml + "name")!.Value, p => Text(p.Element(Maml + "description")), StringComparer.OrdinalIgnoreCase);
        foreach (string parameter in parameters)
        {
            Assert.True(documented.TryGetValue(parameter, out string? text), $"{name} -{parameter} is not in the help");
            Assert.True(text!.Length > 60, $"{name} -{parameter} is documented too briefly");
        }
        if (name != "Get-TuZiModel")
        {
            Assert.Contains("partial-1", documented["PartialImages"]);
            Assert.Contains("Authorization", documented["Header"]);
            Assert.Contains("error naming both", documented["AdditionalParameter"]);
        }
    }

    [Theory]
    [MemberData(nameof(AllCmdletNames))]
    public void Every_public_parameter_is_documented_as_it_binds(string name)
    {
        var documented = CommandHelp(name).Element(Command + "parameters")!.Elements(Command + "parameter")
            .ToDictionary(p => p.Element(Maml + "name")!.Value, StringComparer.OrdinalIgnoreCase);
        var parameters = BuiltModule.Parameters(_module.Cmdlet(name));

        foreach (var parameter in parameters)
        {
            Assert.True(documented.TryGetValue(parameter.Name, out var doc), $"{name} -{parameter.Name} is not in the help");
            string where = $"{name} -{parameter.Name}";
            Assert.True(Text(doc!.Element(Maml + "description")).Length > 20, $"{where} has no real description");
            Assert.Equal(parameter.Mandatory().ToString().ToLowerInvariant(), doc.Attribute("required")!.Value);
            int position = parameter.Position();
            Assert.Equal(position == int.MinValue ? "named" : position.ToString(), doc.Attribute("position")!.Value);
            string pipeline = doc.Attribute("pipelineInput")!.Value;
            Assert.Equal(parameter.FromPipeline(), pipeline.Contains("ByValue"));
            Assert.Equal(parameter.FromPipelineByPropertyName(), pipeline.Contains("ByPropertyName"));
            string aliases = doc.Attribute("aliases")!.Value;
            Assert.Equal(parameter.Aliases.OrderBy(a => a), aliases == "none" ? Array.Empty<string>() : aliases.Split(',').Select(a => a.Trim()).OrderBy(a => a));
            var type = parameter.Property.PropertyType;
            // Types from MetadataLoadContext are not the runtime's: Nullable is recognised by name.
            bool nullable = type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1";
            string typeName = (nullable ? type.GetGenericArguments()[0] : type).Name;
            Assert.Equal(typeName, doc.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        }
        // Nothing documented that does not exist, except what ShouldProcess adds.
        var real = parameters.Select(p => p.Name).Concat(new[] { "WhatIf", "Confirm" });
        Assert.Empty(documented.Keys.Except(real, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_about_topic_ships_and_covers_configuration_models_files_errors_and_troubleshooting()
    {
        string about = File.ReadAllText(Path.Combine(_module.Directory, "en-US", "about_TuZiImages.help.txt"));
        foreach (string heading in new[] { "CONFIGURATION", "MODELS", "WHERE FILES GO", "ERRORS AND RETRIES", "TROUBLESHOOTING" })
        {
            Assert.Contains(heading, about);
        }
        Assert.Contains("$PSDefaultParameterValues", about);
        Assert.Contains("WHICH MODELS MAY MY KEY USE", about);
        Assert.Contains("Get-TuZiModel", about);
        Assert.Contains("-PartialImages", about);
        Assert.Contains("TUZI_API_KEY", about);
        Assert.Contains("ASYNC MODELS", about);
        Assert.Contains("MONEY", about);
        Assert.Contains("TuZiImages.BudgetReached", about);
        Assert.Contains(".tuzi-task-", about);
        Assert.Contains("Receive-TuZiImage", about);
        // The proxy section and the Windows PowerShell troubleshooting the cmdlets' errors point to.
        Assert.Contains("PROXIES", about);
        Assert.Contains("HTTPS_PROXY", about);
        Assert.Contains("CONNECT tunnel", about);
        Assert.Contains("DEPENDENCY CONFLICTS", about);
        Assert.Contains("Could not load file or assembly 'netstandard'", about);
    }

    [Fact]
    public void Receive_TuZiImage_has_examples_from_an_id_and_from_piped_error_records_and_declares_its_output()
    {
        var help = CommandHelp("Receive-TuZiImage");

        Assert.True(Text(help.Element(Maml + "description")).Length > 200);
        Assert.Contains("TuZiImages.Core.TuZiImageResult", help.Element(Command + "returnValues")!.Descendants(Maml + "name").Select(n => n.Value));
        var examples = help.Element(Command + "examples")!.Elements(Command + "example").Select(e => e.Element(Dev + "code")!.Value).ToList();
        Assert.True(examples.Count >= 4, $"Receive-TuZiImage has {examples.Count} examples");
        Assert.Contains(examples, code => code.Contains("-TaskId"));
        Assert.Contains(examples, code => code.Contains("| Receive-TuZiImage"));
    }
}
