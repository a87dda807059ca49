using System;
using System.IO;
using System.Reflection;
using TuZiImages.Core.Platform;
using TuZiImages.Tests.Cmdlets;

namespace TuZiImages.Tests.Desktop;

/// <summary>
/// The handler itself, on the real AppDomain.AssemblyResolve event. .NET raises it here too when nothing else
/// finds an assembly; TuZiImages.dll is not among this test process's dependencies, so only the handler can.
/// </summary>
public class ModuleAssemblyResolverTests
{
    [Fact]
    public void On_the_real_event_a_shipped_name_asked_for_from_outside_the_module_folder_is_left_to_fail()
    {
        // This test asks for a dependency the module ships (and .NET does not have) by name, as another module or
        // a script would: before the requesting-assembly rule the handler answered with the module's file; now the
        // load fails as it would without the module.
        using var module = new BuiltModule();
        var resolver = new ModuleAssemblyResolver(module.Directory);
        var request = AssemblyName.GetAssemblyName(Path.Combine(module.Directory, "Microsoft.Bcl.AsyncInterfaces.dll"));
        Assert.NotNull(AssemblyResolution.Answer(request, resolver.Shipped));

        resolver.Register();
        try
        {
            Assert.Throws<FileNotFoundException>(() => Assembly.Load(request));
        }
        finally
        {
            resolver.Unregister();
        }
    }

    [Fact]
    public void The_handler_answers_the_module_folders_assemblies_and_no_one_else()
    {
        using var module = new BuiltModule();
        var resolver = new ModuleAssemblyResolver(module.Directory);
        // An assembly of the module folder, and one from elsewhere (this test's own), as the requesters.
        string root = Path.Combine(module.Directory, "TuZiImages.dll");
        var own = Assembly.LoadFrom(root);
        var foreign = typeof(ModuleAssemblyResolverTests).Assembly;
        const string name = "TuZiImages, Version=0.0.0.1, Culture=neutral, PublicKeyToken=null";

        Assert.Equal(root, resolver.Resolve(new ResolveEventArgs(name, own))?.Location);
        Assert.Null(resolver.Resolve(new ResolveEventArgs(name, foreign)));
        Assert.Null(resolver.Resolve(new ResolveEventArgs(name, null)));
    }

    [Fact]
    public void The_handler_leaves_other_names_to_fail_as_they_would()
    {
        using var module = new BuiltModule();
        var resolver = new ModuleAssemblyResolver(module.Directory);

        resolver.Register();
        try
        {
            Assert.Throws<FileNotFoundException>(() => Assembly.Load(new AssemblyName("TuZiImages.NotShipped, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null")));
        }
        finally
        {
            resolver.Unregister();
        }
    }
}

/// <summary>One handler for every runspace that imports the module; Remove-Module in one must not strand the rest.</summary>
public class SharedRegistrationTests
{
    [Fact]
    public void The_handler_is_registered_by_the_first_import_and_removed_by_the_last_removal()
    {
        var events = new System.Collections.Generic.List<string>();
        var registration = new SharedRegistration(() => events.Add("register"), () => events.Add("unregister"));

        registration.Acquire();
        registration.Acquire();
        registration.Release();
        Assert.Equal(new[] { "register" }, events);

        registration.Release();
        Assert.Equal(new[] { "register", "unregister" }, events);
    }

    [Fact]
    public void A_removal_without_an_import_changes_nothing_and_a_new_import_registers_again()
    {
        var registered = 0;
        var registration = new SharedRegistration(() => registered++, () => registered--);

        registration.Release();
        Assert.Equal(0, registered);

        registration.Acquire();
        registration.Release();
        registration.Acquire();
        Assert.Equal(1, registered);
    }
}
