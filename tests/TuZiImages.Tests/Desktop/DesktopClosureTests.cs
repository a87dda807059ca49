using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using TuZiImages.Core.Platform;
using TuZiImages.Tests.Cmdlets;

namespace TuZiImages.Tests.Desktop;

/// <summary>
/// Windows PowerShell 5.1 cannot run here, so this reads what it would bind. .NET Framework binds a strong-named
/// reference by exact version and powershell.exe has no binding redirects for a module: every reference from an
/// assembly in the built module folder must meet either the exact file beside it, the module's own resolver
/// (the rule its AssemblyResolve handler applies), the framework, or PowerShell itself.
/// </summary>
public class DesktopClosureTests : IClassFixture<BuiltModule>
{
    // What Windows PowerShell provides: the engine's assemblies, at PowerShellStandard's version.
    private static readonly string[] HostAssemblies = { "System.Management.Automation", "Microsoft.PowerShell.Commands.Utility", "Microsoft.PowerShell.ConsoleHost", "Microsoft.PowerShell.Commands.Management", "Microsoft.PowerShell.Security" };
    private static readonly Version DesktopPowerShellAssemblyVersion = new(3, 0, 0, 0);
    private const string PowerShellToken = "31bf3856ad364e35";

    private readonly BuiltModule _module;
    private readonly NetFramework472 _framework = NetFramework472.Instance;
    private readonly IReadOnlyList<AssemblyFile> _files;
    private readonly IReadOnlyList<ShippedAssembly> _shipped;

    public DesktopClosureTests(BuiltModule module)
    {
        _module = module;
        _files = Directory.GetFiles(module.Directory, "*.dll").Select(AssemblyFile.Read).ToList();
        // Exactly what the handler reads when the module is imported.
        _shipped = AssemblyResolution.InDirectory(module.Directory);
    }

    [Fact]
    public void Every_reference_in_the_module_folder_binds_on_NET_Framework_472()
    {
        var unanswered = new List<string>();
        foreach (var file in _files)
        {
            foreach (var reference in file.References)
            {
                var problem = Binding(reference, allowResolver: true, requester: file.Path);
                if (problem is not null)
                {
                    unanswered.Add($"{file.FileName} -> {AssemblyFile.Describe(reference)}: {problem}");
                }
            }
        }
        Assert.True(unanswered.Count == 0, "References Windows PowerShell 5.1 could not bind:\n" + string.Join("\n", unanswered));
    }

    [Fact]
    public void The_root_module_binds_without_the_resolver()
    {
        // PowerShell loads TuZiImages.dll's exported types before it calls the module initializer that
        // registers the resolver, so the root assembly's own references must bind unaided.
        var root = _files.Single(f => f.FileName == "TuZiImages.dll");
        var problems = root.References
            .Select(r => (Reference: r, Problem: Binding(r, allowResolver: false, requester: root.Path)))
            .Where(p => p.Problem is not null)
            .Select(p => $"TuZiImages.dll -> {AssemblyFile.Describe(p.Reference)}: {p.Problem}")
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_folder_needs_the_resolver_and_the_module_registers_it()
    {
        // The closure above leans on the resolver; this is what puts it in place when the module is imported.
        var needingResolver = _files.SelectMany(f => f.References.Select(r => (f, r)))
            .Where(p => _shipped.Any(s => Same(s.Name.Name, p.r.Name)) && Binding(p.r, allowResolver: false, requester: p.f.Path) is not null)
            .Select(p => $"{p.f.FileName} -> {AssemblyFile.Describe(p.r)}")
            .ToList();
        Assert.NotEmpty(needingResolver);

        var initializer = _module.Assembly.GetTypes().Single(t => t.GetInterfaces().Any(i => i.FullName == "System.Management.Automation.IModuleAssemblyInitializer"));
        Assert.True(initializer.IsPublic && !initializer.IsAbstract, "PowerShell calls only a public, concrete initializer");
        Assert.NotNull(initializer.GetConstructor(Type.EmptyTypes));
        Assert.Contains(initializer.GetInterfaces(), i => i.FullName == "System.Management.Automation.IModuleAssemblyCleanup");
    }

    [Fact]
    public void The_same_references_made_by_another_modules_copies_are_left_to_that_module()
    {
        // Another module ships System.Text.Json, System.Memory and the rest in its own folder: the references its
        // copies make, identical to the module's, are not answered with the module's files.
        string otherModule = Path.Combine(Path.GetDirectoryName(_module.Directory)!, "OtherModule");
        var needingResolver = _files.SelectMany(f => f.References.Select(r => (f, r)))
            .Where(p => _shipped.Any(s => Same(s.Name.Name, p.r.Name)) && Binding(p.r, allowResolver: false, requester: p.f.Path) is not null)
            .ToList();

        Assert.NotEmpty(needingResolver);
        Assert.All(needingResolver, p =>
        {
            Assert.NotNull(AssemblyResolution.Answer(p.r, p.f.Path, _module.Directory, _shipped));
            Assert.Null(AssemblyResolution.Answer(p.r, Path.Combine(otherModule, p.f.FileName), _module.Directory, _shipped));
        });
    }

    [Fact]
    public void The_module_references_the_Windows_PowerShell_engine_at_its_version()
    {
        var engine = _files.Single(f => f.FileName == "TuZiImages.dll").References.Single(r => r.Name == "System.Management.Automation");
        Assert.Equal(DesktopPowerShellAssemblyVersion, engine.Version);
        Assert.Equal(PowerShellToken, AssemblyResolution.TokenOf(engine));
    }

    /// <summary>Null when the reference binds on .NET Framework 4.7.2 in Windows PowerShell; otherwise why not.</summary>
    private string? Binding(AssemblyName reference, bool allowResolver, string requester)
    {
        var beside = _shipped.FirstOrDefault(s => Same(s.Name.Name, reference.Name));
        if (beside is not null)
        {
            if (beside.Name.Version == reference.Version && AssemblyResolution.TokenOf(beside.Name) == AssemblyResolution.TokenOf(reference))
            {
                return null;
            }
            // The handler's whole rule: the requester is the file of the module folder whose reference this is.
            if (allowResolver && AssemblyResolution.Answer(reference, requester, _module.Directory, _shipped) is { } answer && answer.Path == beside.Path)
            {
                return null;
            }
            return $"the folder ships {AssemblyFile.Describe(beside.Name)} and nothing answers {(allowResolver ? "" : "before the resolver is registered ")}for the reference";
        }
        if (HostAssemblies.Any(h => Same(h, reference.Name)))
        {
            return reference.Version <= DesktopPowerShellAssemblyVersion && AssemblyResolution.TokenOf(reference) == PowerShellToken
                ? null
                : $"Windows PowerShell provides {DesktopPowerShellAssemblyVersion} (token {PowerShellToken})";
        }
        if (_framework.Provides(reference))
        {
            return null;
        }
        return _framework.Assemblies.TryGetValue(reference.Name!, out var provided)
            ? $".NET Framework 4.7.2 provides only {AssemblyFile.Describe(provided)}"
            : "neither the module folder nor .NET Framework 4.7.2 has it";
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
