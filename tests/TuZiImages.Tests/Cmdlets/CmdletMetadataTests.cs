using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core;

namespace TuZiImages.Tests.Cmdlets;

/// <summary>The cmdlets' public face, as PowerShell will bind it, checked against the built assembly.</summary>
public class CmdletMetadataTests : IClassFixture<BuiltModule>
{
    private readonly BuiltModule _module;

    public CmdletMetadataTests(BuiltModule module) => _module = module;

    private ParameterFacts Parameter(string cmdlet, string name) =>
        BuiltModule.Parameters(_module.Cmdlet(cmdlet)).Single(p => p.Name == name);

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlets_the_assembly_has()
    {
        string manifest = File.ReadAllText(Path.Combine(_module.Directory, "TuZiImages.psd1"));
        var exported = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value
            .Split(',').Select(s => s.Trim().Trim('\'', '"')).Where(s => s.Length > 0).OrderBy(s => s);

        Assert.Equal(_module.Cmdlets.Select(BuiltModule.CmdletName).OrderBy(s => s), exported);
        Assert.Equal(new[] { "Edit-TuZiImage", "Get-TuZiBalance", "Get-TuZiImageInfo", "Get-TuZiModel", "New-TuZiImage", "Receive-TuZiImage" }, exported);
        Assert.DoesNotContain("*", manifest.Split('\n').Where(l => l.Contains("ToExport")).Aggregate("", (a, b) => a + b));
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Core',\s*'Desktop'\)", manifest);
    }

    [Theory]
    [InlineData("New-TuZiImage")]
    [InlineData("Edit-TuZiImage")]
    public void Both_support_WhatIf_and_declare_their_output(string name)
    {
        var type = _module.Cmdlet(name);
        Assert.True(BuiltModule.Named<bool>(BuiltModule.Attribute(type, "CmdletAttribute")!, "SupportsShouldProcess"));
        var outputType = BuiltModule.Attribute(type, "OutputTypeAttribute")!;
        var declared = ((System.Collections.Generic.IEnumerable<System.Reflection.CustomAttributeTypedArgument>)outputType.ConstructorArguments[0].Value!).Single();
        Assert.Equal(typeof(TuZiImageResult).FullName, ((Type)declared.Value!).FullName);
    }

    [Theory]
    [InlineData("New-TuZiImage")]
    [InlineData("Edit-TuZiImage")]
    [InlineData("Get-TuZiModel")]
    [InlineData("Get-TuZiBalance")]
    public void Every_cmdlet_takes_the_connection_parameters_from_the_one_base_that_declares_them(string name)
    {
        // Declared once, so a default (-TimeoutSec) or a validation cannot differ between cmdlets.
        var parameters = BuiltModule.Parameters(_module.Cmdlet(name)).ToDictionary(p => p.Name);
        var connection = new[]
        {
            ("ApiKey", "SecureString"), ("BaseUri", "Uri"), ("TimeoutSec", "Int32"), ("MaxRetryCount", "Int32"),
            ("AllowUnencryptedAuthentication", "SwitchParameter"), ("Header", "IDictionary"), ("RateLimitPatienceSec", "Int32"),
            ("Proxy", "Uri"), ("ProxyCredential", "PSCredential"), ("ProxyUseDefaultCredentials", "SwitchParameter"), ("NoProxy", "SwitchParameter"),
        };
        foreach (var (parameter, type) in connection)
        {
            Assert.True(parameters.TryGetValue(parameter, out var facts), $"{name} has no -{parameter}");
            Assert.Equal("TuZiServiceCommandBase", facts!.Property.DeclaringType!.Name);
            Assert.Equal(type, facts.TypeName);
        }
        // As Invoke-RestMethod declares them: the credential is transformed like -Credential, the address may not be empty.
        Assert.NotNull(BuiltModule.Attribute(parameters["ProxyCredential"].Property, "CredentialAttribute"));
        Assert.NotNull(BuiltModule.Attribute(parameters["Proxy"].Property, "ValidateNotNullOrEmptyAttribute"));
    }

    [Theory]
    [InlineData("New-TuZiImage")]
    [InlineData("Edit-TuZiImage")]
    public void Both_take_the_shared_parameters(string name)
    {
        var parameters = BuiltModule.Parameters(_module.Cmdlet(name)).ToDictionary(p => p.Name);
        foreach (string shared in new[] { "Model", "Count", "Size", "AspectRatio", "Quality", "ResponseFormat", "User", "OutDirectory", "OutFile",
                     "Force", "NoClobber", "ApiKey", "BaseUri", "TimeoutSec", "MaxRetryCount", "ThrottleLimit", "AllowUnencryptedAuthentication" })
        {
            Assert.True(parameters.ContainsKey(shared), $"{name} has no -{shared}");
        }
        Assert.Equal("SecureString", parameters["ApiKey"].TypeName);
        Assert.Equal("ModelCompleter", parameters["Model"].Completer);
        Assert.Equal("AspectRatioCompleter", parameters["AspectRatio"].Completer);
        Assert.Equal("QualityCompleter", parameters["Quality"].Completer);
        Assert.Equal("SizeCompleter", parameters["Size"].Completer);
        Assert.True(parameters["Prompt"].Mandatory());
        Assert.Equal(0, parameters["Prompt"].Position());
    }

    [Fact]
    public void Receive_TuZiImage_binds_the_task_id_by_value_and_by_property_name_and_declares_its_output()
    {
        var type = _module.Cmdlet("Receive-TuZiImage");
        var taskId = Parameter("Receive-TuZiImage", "TaskId");
        Assert.True(taskId.Mandatory());
        Assert.Equal(0, taskId.Position());
        Assert.True(taskId.FromPipeline());
        Assert.True(taskId.FromPipelineByPropertyName());
        var outputType = BuiltModule.Attribute(type, "OutputTypeAttribute")!;
        var declared = ((System.Collections.Generic.IEnumerable<System.Reflection.CustomAttributeTypedArgument>)outputType.ConstructorArguments[0].Value!).Single();
        Assert.Equal(typeof(TuZiImageResult).FullName, ((Type)declared.Value!).FullName);
        var parameters = BuiltModule.Parameters(type).ToDictionary(p => p.Name);
        foreach (string shared in new[] { "OutDirectory", "OutFile", "Force", "NoClobber", "ApiKey", "BaseUri", "TimeoutSec", "MaxRetryCount",
                     "ThrottleLimit", "TaskTimeoutSec", "Header" })
        {
            Assert.True(parameters.ContainsKey(shared), $"Receive-TuZiImage has no -{shared}");
        }
        // It makes nothing to send: no body fields, nothing to skip.
        Assert.False(parameters.ContainsKey("SkipExisting"));
        Assert.False(parameters.ContainsKey("Model"));
    }

    [Theory]
    [InlineData("New-TuZiImage")]
    [InlineData("Edit-TuZiImage")]
    public void Both_take_the_rate_limit_patience_and_skip_existing(string name)
    {
        var parameters = BuiltModule.Parameters(_module.Cmdlet(name)).ToDictionary(p => p.Name);
        Assert.Equal("SwitchParameter", parameters["SkipExisting"].TypeName);
        Assert.Equal("Int32", parameters["RateLimitPatienceSec"].TypeName);
        Assert.Equal("Int32", parameters["TaskTimeoutSec"].TypeName);
    }

    [Theory]
    [InlineData("New-TuZiImage")]
    [InlineData("Edit-TuZiImage")]
    public void Both_take_the_gpt_image_parameters_as_free_text_with_completers(string name)
    {
        var parameters = BuiltModule.Parameters(_module.Cmdlet(name)).ToDictionary(p => p.Name);
        Assert.Equal("FieldValueCompleter", parameters["Background"].Completer);
        Assert.Equal("FieldValueCompleter", parameters["OutputFormat"].Completer);
        // Free text: the service may grow new words, so no ValidateSet stands in the way.
        foreach (string free in new[] { "Background", "OutputFormat" })
        {
            Assert.Null(BuiltModule.Attribute(parameters[free].Property, "ValidateSetAttribute"));
        }
        var compression = BuiltModule.Attribute(parameters["OutputCompression"].Property, "ValidateRangeAttribute")!;
        Assert.Equal(new object[] { 0, 100 }, compression.ConstructorArguments.Select(a => a.Value).ToArray());
        var previews = BuiltModule.Attribute(parameters["PartialImages"].Property, "ValidateRangeAttribute")!;
        Assert.Equal(new object[] { 1, 3 }, previews.ConstructorArguments.Select(a => a.Value).ToArray());
        Assert.Equal("IDictionary", parameters["AdditionalParameter"].TypeName);
        Assert.Equal("IDictionary", parameters["Header"].TypeName);
        Assert.Contains("AdditionalBody", parameters["AdditionalParameter"].Aliases);
        Assert.False(parameters["Background"].FromPipelineByPropertyName());
        Assert.False(parameters["OutputFormat"].FromPipelineByPropertyName());
    }

    [Fact]
    public void Each_cmdlet_has_the_gpt_image_parameter_of_its_endpoint()
    {
        var generate = BuiltModule.Parameters(_module.Cmdlet("New-TuZiImage")).ToDictionary(p => p.Name);
        var edit = BuiltModule.Parameters(_module.Cmdlet("Edit-TuZiImage")).ToDictionary(p => p.Name);
        Assert.Equal("FieldValueCompleter", generate["Moderation"].Completer);
        Assert.False(edit.ContainsKey("Moderation"));
        Assert.Equal("FieldValueCompleter", edit["InputFidelity"].Completer);
        Assert.False(generate.ContainsKey("InputFidelity"));
    }

    [Theory]
    [InlineData("New-TuZiImage", BodyEndpoints.Generations)]
    [InlineData("Edit-TuZiImage", BodyEndpoints.Edits)]
    public void Every_body_field_of_the_endpoint_has_its_parameter_and_completes_from_its_row(string name, BodyEndpoints endpoint)
    {
        var parameters = BuiltModule.Parameters(_module.Cmdlet(name)).ToDictionary(p => p.Name);
        foreach (var field in BodyFields.For(endpoint))
        {
            foreach (string parameter in new[] { field.Parameter, field.AlsoSetBy }.OfType<string>())
            {
                Assert.True(parameters.ContainsKey(parameter), $"{name} has no -{parameter} for the body field '{field.Name}'");
            }
            if (!field.Value.FromParameter || field.Choices.Count == 0)
            {
                continue;
            }
            var offered = parameters[field.Parameter];
            var validateSet = BuiltModule.Attribute(offered.Property, "ValidateSetAttribute");
            if (validateSet is not null)
            {
                var allowed = ((System.Collections.Generic.IEnumerable<System.Reflection.CustomAttributeTypedArgument>)validateSet.ConstructorArguments[0].Value!).Select(a => (string)a.Value!);
                Assert.Equal(field.Choices.Select(c => c.Value), allowed);
            }
            else
            {
                Assert.Equal("FieldValueCompleter", offered.Completer);
            }
        }
        // And nothing completes from the table that is not a row of this endpoint.
        Assert.All(parameters.Values.Where(p => p.Completer == "FieldValueCompleter"),
            p => Assert.NotNull(BodyFields.ForParameter(p.Name, endpoint)));
    }

    [Fact]
    public void Get_TuZiModel_takes_wildcard_names_and_the_connection_parameters_and_declares_its_output()
    {
        var type = _module.Cmdlet("Get-TuZiModel");
        var parameters = BuiltModule.Parameters(type).ToDictionary(p => p.Name);
        Assert.Equal(0, parameters["Name"].Position());
        Assert.Equal("String[]", parameters["Name"].TypeName);
        Assert.NotNull(BuiltModule.Attribute(parameters["Name"].Property, "SupportsWildcardsAttribute"));
        Assert.Equal("SecureString", parameters["ApiKey"].TypeName);
        foreach (string shared in new[] { "BaseUri", "TimeoutSec", "MaxRetryCount", "AllowUnencryptedAuthentication", "Header" })
        {
            Assert.True(parameters.ContainsKey(shared), $"Get-TuZiModel has no -{shared}");
        }
        var outputType = BuiltModule.Attribute(type, "OutputTypeAttribute")!;
        var declared = ((System.Collections.Generic.IEnumerable<System.Reflection.CustomAttributeTypedArgument>)outputType.ConstructorArguments[0].Value!).Single();
        Assert.Equal(typeof(TuZiModel).FullName, ((Type)declared.Value!).FullName);
    }

    [Fact]
    public void Get_TuZiBalance_takes_only_the_connection_parameters_and_declares_its_output_which_has_a_table_view()
    {
        var type = _module.Cmdlet("Get-TuZiBalance");
        Assert.All(BuiltModule.Parameters(type), p => Assert.Equal("TuZiServiceCommandBase", p.Property.DeclaringType!.Name));
        var outputType = BuiltModule.Attribute(type, "OutputTypeAttribute")!;
        var declared = ((System.Collections.Generic.IEnumerable<System.Reflection.CustomAttributeTypedArgument>)outputType.ConstructorArguments[0].Value!).Single();
        Assert.Equal(typeof(TuZiBalance).FullName, ((Type)declared.Value!).FullName);
        string format = File.ReadAllText(Path.Combine(_module.Directory, "TuZiImages.format.ps1xml"));
        Assert.Contains("<TypeName>TuZiImages.Core.TuZiBalance</TypeName>", format);
    }

    [Theory]
    [InlineData("New-TuZiImage")]
    [InlineData("Edit-TuZiImage")]
    public void Both_take_a_budget_in_dollars_that_is_not_given_unless_typed(string name)
    {
        var budget = Parameter(name, "BudgetUsd");
        Assert.Equal("Nullable`1", budget.TypeName);
        Assert.Equal("Decimal", budget.Property.PropertyType.GetGenericArguments()[0].Name);
        Assert.False(budget.FromPipelineByPropertyName()); // a budget is the command's, not a row's
        Assert.Equal("TuZiImageCommandBase", budget.Property.DeclaringType!.Name);
    }

    [Fact]
    public void The_module_has_a_table_view_for_models()
    {
        string format = File.ReadAllText(Path.Combine(_module.Directory, "TuZiImages.format.ps1xml"));
        Assert.Contains("<TypeName>TuZiImages.Core.TuZiModel</TypeName>", format);
    }

    [Fact]
    public void New_takes_prompts_by_value_and_csv_columns_by_name()
    {
        var prompt = Parameter("New-TuZiImage", "Prompt");
        Assert.True(prompt.FromPipeline());
        Assert.True(prompt.FromPipelineByPropertyName());
        foreach (string column in new[] { "Model", "Size", "AspectRatio", "Quality", "Count", "OutFile", "ReferenceImage" })
        {
            Assert.True(Parameter("New-TuZiImage", column).FromPipelineByPropertyName(), $"-{column} does not bind from a CSV column");
        }
        Assert.False(Parameter("New-TuZiImage", "Style").FromPipelineByPropertyName());
    }

    [Fact]
    public void Every_non_string_column_reads_an_empty_csv_cell_as_not_given()
    {
        // Import-Csv writes an empty cell as "", which PowerShell alone converts to 0 for an int.
        var columns = _module.Cmdlets.SelectMany(BuiltModule.Parameters)
            .Where(p => p.FromPipelineByPropertyName() && p.Property.PropertyType.FullName is not ("System.String" or "System.String[]"))
            .ToList();

        Assert.Contains(columns, p => p.Name == "Count");
        Assert.All(columns, p => Assert.True(BuiltModule.Attribute(p.Property, "EmptyAsNullTransformationAttribute") is not null,
            $"-{p.Name} ({p.TypeName}) binds from a CSV column but would read an empty cell as a value"));
    }

    [Fact]
    public void New_binds_piped_files_as_references_but_not_the_path_get_content_attaches_to_each_line()
    {
        var reference = Parameter("New-TuZiImage", "ReferenceImage");
        Assert.Contains("FullName", reference.Aliases);
        // Get-Content gives every line a PSPath: aliasing it would make prompts.txt a reference image.
        Assert.DoesNotContain("PSPath", reference.Aliases);
    }

    [Fact]
    public void Edit_takes_files_from_the_pipeline_like_the_file_system_cmdlets()
    {
        var path = Parameter("Edit-TuZiImage", "Path");
        var literal = Parameter("Edit-TuZiImage", "LiteralPath");
        Assert.Equal(new[] { "Path" }, path.SetNames);
        Assert.Equal(new[] { "LiteralPath" }, literal.SetNames);
        Assert.True(path.FromPipeline("Path"));
        Assert.True(path.Mandatory("Path"));
        Assert.Equal(1, path.Position("Path"));
        Assert.True(literal.FromPipelineByPropertyName("LiteralPath"));
        Assert.Contains("PSPath", literal.Aliases);
        Assert.Contains("FullName", literal.Aliases);
        Assert.Equal("SwitchParameter", Parameter("Edit-TuZiImage", "Separately").TypeName);
        // The previous command's prompt must not silently become this edit's prompt.
        Assert.False(Parameter("Edit-TuZiImage", "Prompt").FromPipelineByPropertyName());
        Assert.False(Parameter("Edit-TuZiImage", "Model").FromPipelineByPropertyName());
    }

    [Fact]
    public void The_result_pipes_into_file_cmdlets_without_an_ambiguous_path()
    {
        var result = _module.Context.LoadFromAssemblyPath(Path.Combine(_module.Directory, "TuZiImages.Core.dll")).GetType(typeof(TuZiImageResult).FullName!)!;
        var names = result.GetProperties().Select(p => p.Name).ToArray();
        Assert.Contains("PSPath", names);
        Assert.Contains("FullName", names);
        Assert.DoesNotContain("Path", names);
        foreach (string wanted in new[] { "Index", "Prompt", "Model", "Url", "Name", "ContentType", "Width", "Height", "Pixels", "Length", "RevisedPrompt", "Created", "Elapsed", "Attempts", "RequestId",
                     "Usage", "OutputFormat", "ReportedSize", "Quality", "Background", "Previews" })
        {
            Assert.Contains(wanted, names);
        }
    }

    [Fact]
    public void The_module_folder_holds_what_windows_powershell_needs_and_no_powershell_of_its_own()
    {
        var files = Directory.GetFiles(_module.Directory).Select(Path.GetFileName).ToArray();
        Assert.Contains("TuZiImages.psd1", files);
        Assert.Contains("TuZiImages.Core.dll", files);
        Assert.Contains("System.Text.Json.dll", files);
        Assert.DoesNotContain("System.Management.Automation.dll", files);
        var json = _module.Assembly.GetReferencedAssemblies();
        var core = _module.Context.LoadFromAssemblyPath(Path.Combine(_module.Directory, "TuZiImages.Core.dll"));
        var stj = core.GetReferencedAssemblies().Single(a => a.Name == "System.Text.Json");
        Assert.True(stj.Version <= new Version(8, 0, 0, 0), $"System.Text.Json {stj.Version} would not load in PowerShell 7.4");
        Assert.DoesNotContain(core.GetReferencedAssemblies(), a => a.Name == "System.Management.Automation");
    }

    [Theory]
    [InlineData("New-TuZiImage")]
    [InlineData("Edit-TuZiImage")]
    [InlineData("Receive-TuZiImage")]
    public void Every_saving_cmdlet_takes_Metadata_as_its_three_words_and_never_from_the_pipeline(string name)
    {
        var metadata = Parameter(name, "Metadata");
        Assert.Equal("MetadataMode", metadata.TypeName);
        Assert.False(metadata.FromPipelineByPropertyName());
        var mode = metadata.Property.PropertyType;
        Assert.Equal(new[] { "Embed", "Sidecar", "None" }, mode.GetFields().Where(f => f.IsStatic).Select(f => f.Name));
    }

    [Fact]
    public void Get_TuZiImageInfo_takes_files_and_results_from_the_pipeline_like_the_file_system_cmdlets()
    {
        var outputType = BuiltModule.Attribute(_module.Cmdlet("Get-TuZiImageInfo"), "OutputTypeAttribute")!;
        var declared = ((System.Collections.Generic.IEnumerable<System.Reflection.CustomAttributeTypedArgument>)outputType.ConstructorArguments[0].Value!).Single();
        Assert.Equal(typeof(TuZiImageInfo).FullName, ((Type)declared.Value!).FullName);
        var path = Parameter("Get-TuZiImageInfo", "Path");
        var literal = Parameter("Get-TuZiImageInfo", "LiteralPath");
        Assert.True(path.FromPipeline("Path"));
        Assert.Equal(0, path.Position("Path"));
        Assert.NotNull(BuiltModule.Attribute(path.Property, "SupportsWildcardsAttribute"));
        Assert.True(literal.FromPipelineByPropertyName("LiteralPath"));
        Assert.Equal(new[] { "FullName", "LP", "PSPath" }, literal.Aliases.OrderBy(a => a));
    }

    [Fact]
    public void New_takes_a_records_other_parameters_by_name_but_not_a_results_echoed_background()
    {
        var parameters = Parameter("New-TuZiImage", "Parameters");
        Assert.True(parameters.FromPipelineByPropertyName());
        Assert.Equal("IDictionary", parameters.TypeName);
        Assert.NotNull(BuiltModule.Attribute(parameters.Property, "EmptyAsNullTransformationAttribute"));
        var info = _module.Context.LoadFromAssemblyPath(Path.Combine(_module.Directory, "TuZiImages.Core.dll")).GetType(typeof(TuZiImageInfo).FullName!)!;
        var names = info.GetProperties().Select(p => p.Name).ToArray();
        // FullName or Image would bind New-TuZiImage's -ReferenceImage: the image would become a reference of its own remake.
        Assert.DoesNotContain("FullName", names);
        Assert.DoesNotContain("Image", names);
        Assert.DoesNotContain("Count", names);
        foreach (string bound in new[] { "Prompt", "Model", "Size", "AspectRatio", "Quality", "Parameters" })
        {
            Assert.Contains(bound, names);
        }
    }
}
