using System.Collections.Generic;
using System.IO;
using System.Reflection;
using TuZiImages.Core.Platform;
using TuZiImages.Tests.Cmdlets;

namespace TuZiImages.Tests.Desktop;

/// <summary>The rule the module's AssemblyResolve handler applies in Windows PowerShell.</summary>
public class AssemblyResolutionTests
{
    private const string UnsafeToken = "b03f5f7f11d50a3a";
    private const string BuffersToken = "cc7b13ffcd2ddd51";

    private static readonly IReadOnlyList<ShippedAssembly> Shipped = new[]
    {
        Ship("System.Runtime.CompilerServices.Unsafe", "6.0.0.0", UnsafeToken),
        Ship("System.Buffers", "4.0.3.0", BuffersToken),
        Ship("TuZiImages.Core", "0.1.0.0", null),
    };

    [Theory]
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", "System.Runtime.CompilerServices.Unsafe")]
    [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", "System.Buffers")]
    [InlineData("system.buffers, Version=4.0.3.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", "System.Buffers")]
    [InlineData("TuZiImages.Core, Version=0.0.9.0, Culture=neutral, PublicKeyToken=null", "TuZiImages.Core")]
    public void A_shipped_assembly_answers_for_its_own_or_a_lower_version(string requested, string answeredBy)
    {
        var answer = AssemblyResolution.Answer(new AssemblyName(requested), Shipped);

        Assert.NotNull(answer);
        Assert.Equal(answeredBy, answer!.Name.Name);
        Assert.Equal(Path.Combine("module", answeredBy + ".dll"), answer.Path);
    }

    [Theory]
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=6.0.0.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
    [InlineData("System.Buffers, Version=5.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
    public void A_higher_version_than_the_one_shipped_is_refused(string requested) =>
        Assert.Null(AssemblyResolution.Answer(new AssemblyName(requested), Shipped));

    [Theory]
    [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=b77a5c561934e089")]
    [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=null")]
    [InlineData("TuZiImages.Core, Version=0.1.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
    public void A_different_public_key_token_is_refused(string requested) =>
        Assert.Null(AssemblyResolution.Answer(new AssemblyName(requested), Shipped));

    [Theory]
    [InlineData("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")]
    [InlineData("System.Buffers.resources, Version=4.0.2.0, Culture=de, PublicKeyToken=cc7b13ffcd2ddd51")]
    public void A_name_that_does_not_ship_in_the_folder_is_refused(string requested) =>
        Assert.Null(AssemblyResolution.Answer(new AssemblyName(requested), Shipped));

    [Fact]
    public void Another_culture_of_a_shipped_name_is_refused() =>
        Assert.Null(AssemblyResolution.Answer(new AssemblyName("System.Buffers, Version=4.0.2.0, Culture=fr, PublicKeyToken=cc7b13ffcd2ddd51"), Shipped));

    private static readonly string ModuleFolder = Path.GetFullPath("module");
    private const string Unsafe404 = "System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a";

    [Fact]
    public void A_load_asked_for_by_an_assembly_of_the_module_folder_is_answered()
    {
        var answer = AssemblyResolution.Answer(new AssemblyName(Unsafe404), Path.Combine(ModuleFolder, "System.Memory.dll"), ModuleFolder, Shipped);

        Assert.Equal("System.Runtime.CompilerServices.Unsafe", answer?.Name.Name);
    }

    [Theory]
    [InlineData("other")]              // another module's System.Memory.dll
    [InlineData("module/sub")]         // below the folder is not the folder
    [InlineData("")]                   // a dynamic assembly, or one loaded from bytes: no file
    public void A_load_asked_for_by_anything_outside_the_module_folder_is_left_to_its_owner(string requesterFolder)
    {
        string? requester = requesterFolder.Length == 0 ? "" : Path.Combine(Path.GetFullPath(requesterFolder), "System.Memory.dll");

        Assert.Null(AssemblyResolution.Answer(new AssemblyName(Unsafe404), requester, ModuleFolder, Shipped));
    }

    [Fact]
    public void A_load_with_no_requesting_assembly_is_declined()
    {
        // Assembly.Load by name, a type name in a script, a deserializer: never the module's own static references.
        Assert.Null(AssemblyResolution.Answer(new AssemblyName(Unsafe404), null, ModuleFolder, Shipped));
    }

    [Fact]
    public void The_folder_is_compared_as_Windows_compares_paths()
    {
        Assert.True(AssemblyResolution.IsInDirectory(Path.Combine(ModuleFolder.ToUpperInvariant(), "a.dll"), ModuleFolder));
        Assert.True(AssemblyResolution.IsInDirectory(Path.Combine(ModuleFolder, "a.dll"), ModuleFolder + Path.DirectorySeparatorChar));
        Assert.False(AssemblyResolution.IsInDirectory(Path.Combine(ModuleFolder + "2", "a.dll"), ModuleFolder));
    }

    [Fact]
    public void The_folder_is_read_as_the_assemblies_that_ship_in_it()
    {
        using var module = new BuiltModule();
        var shipped = AssemblyResolution.InDirectory(module.Directory);

        var buffers = Assert.Single(shipped, s => s.Name.Name == "System.Buffers");
        Assert.Equal(Path.Combine(module.Directory, "System.Buffers.dll"), buffers.Path);
        Assert.Equal(BuffersToken, AssemblyResolution.TokenOf(buffers.Name));
        Assert.Equal(Directory.GetFiles(module.Directory, "*.dll").Length, shipped.Count);
    }

    [Fact]
    public void Files_in_the_folder_that_are_not_assemblies_are_skipped()
    {
        using var folder = new Support.TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "native.dll"), "not a PE image");
        File.Copy(typeof(AssemblyResolution).Assembly.Location, Path.Combine(folder.Path, "TuZiImages.Core.dll"));

        var shipped = AssemblyResolution.InDirectory(folder.Path);

        Assert.Equal("TuZiImages.Core", Assert.Single(shipped).Name.Name);
    }

    private static ShippedAssembly Ship(string name, string version, string? token) =>
        new(new AssemblyName($"{name}, Version={version}, Culture=neutral, PublicKeyToken={token ?? "null"}"), Path.Combine("module", name + ".dll"));
}
