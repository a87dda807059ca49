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
    public void The_handler_answers_a_shipped_name_with_the_module_folders_file_and_stops_when_unregistered()
    {
        using var module = new BuiltModule();
        var resolver = new ModuleAssemblyResolver(module.Directory);
        var request = new AssemblyName("TuZiImages, Version=0.0.0.1, Culture=neutral, PublicKeyToken=null");

        resolver.Register();
        Assembly loaded;
        try
        {
            loaded = Assembly.Load(request);
        }
        finally
        {
            resolver.Unregister();
        }

        Assert.Equal(Path.Combine(module.Directory, "TuZiImages.dll"), loaded.Location);
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
        Assert.Equal(0, registration.Holders);

        registration.Acquire();
        registration.Release();
        registration.Acquire();
        Assert.Equal(1, registered);
        Assert.Equal(1, registration.Holders);
    }
}
