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
