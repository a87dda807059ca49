using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using TuZiImages.Core;
using TuZiImages.Core.Platform;

namespace TuZiImages.Tests.Desktop;

/// <summary>
/// Another module's copies of the module's dependencies, as Windows PowerShell's one AppDomain holds them: found
/// at import, and named when a call then fails with what such a copy causes.
/// </summary>
public class DependencyConflictTests
{
    private static readonly string ModuleFolder = Path.GetFullPath("TuZiImages");
    private static readonly string OtherFolder = Path.GetFullPath("OtherModule");

    private static readonly IReadOnlyList<ShippedAssembly> Shipped = new[]
    {
        Ship("System.Memory", "4.0.1.2", "cc7b13ffcd2ddd51"),
        Ship("System.Text.Json", "8.0.0.0", "cc7b13ffcd2ddd51"),
        Ship("TuZiImages.Core", "0.1.0.0", null),
    };

    [Fact]
    public void A_shipped_name_loaded_from_another_folder_is_a_conflict_and_the_modules_own_files_are_not()
    {
        var loaded = new (AssemblyName, string?)[]
        {
            (Name("System.Memory", "4.0.1.1"), Path.Combine(OtherFolder, "System.Memory.dll")),
            (Name("System.Text.Json", "8.0.0.0"), Path.Combine(ModuleFolder, "System.Text.Json.dll")),
            (Name("TuZiImages.Core", "0.1.0.0"), Path.Combine(OtherFolder, "TuZiImages.Core.dll")),   // an earlier import of another copy of the module
            (Name("Newtonsoft.Json", "13.0.0.0"), Path.Combine(OtherFolder, "Newtonsoft.Json.dll")),
            (Name("System.Buffers", "4.0.3.0"), null),                                                    // from bytes: no file
        };

        var conflict = Assert.Single(DependencyConflicts.Find(loaded, Shipped, ModuleFolder));

        Assert.Equal("System.Memory", conflict.Loaded.Name);
        Assert.Equal(Path.Combine(OtherFolder, "System.Memory.dll"), conflict.LoadedFrom);
        Assert.Equal(Path.Combine(ModuleFolder, "System.Memory.dll"), conflict.Shipped.Path);
    }

    [Theory]
    [InlineData(typeof(MissingMethodException))]
    [InlineData(typeof(TypeLoadException))]
    [InlineData(typeof(FileLoadException))]
    [InlineData(typeof(InvalidCastException))]
    public void What_a_conflicting_copy_causes_becomes_a_dependency_conflict_naming_both_files(Type kind)
    {
        var conflicts = DependencyConflicts.Find(new[] { (Name("System.Memory", "4.0.1.1"), (string?)Path.Combine(OtherFolder, "System.Memory.dll")) }, Shipped, ModuleFolder);
        var failure = (Exception)Activator.CreateInstance(kind, "Method not found: 'System.Span`1<Byte> System.Buffers.ArrayPool...'")!;
        // As it arrives: wrapped by a task or a type initializer.
        var wrapped = new AggregateException(new TypeInitializationException("TuZiImages.Core.Responses.Something", failure));

        var error = DependencyConflicts.Explain(wrapped, conflicts);

        Assert.NotNull(error);
        Assert.Equal(TuZiErrorKind.DependencyConflict, error!.Kind);
        Assert.StartsWith("Dependency conflict: another module in this session loaded System.Memory 4.0.1.1", error.Message);
        Assert.Contains(Path.Combine(OtherFolder, "System.Memory.dll"), error.Message);
        Assert.Contains(Path.Combine(ModuleFolder, "System.Memory.dll"), error.Message);
        Assert.Contains(kind.Name, error.Message);
        Assert.Contains("DEPENDENCY CONFLICTS in about_TuZiImages", error.RecommendedAction);
        Assert.Same(wrapped, error.InnerException);
    }

    [Fact]
    public void A_failure_that_names_one_of_several_copies_names_that_one()
    {
        var conflicts = DependencyConflicts.Find(new[]
        {
            (Name("System.Memory", "4.0.1.1"), (string?)Path.Combine(OtherFolder, "System.Memory.dll")),
            (Name("System.Text.Json", "6.0.0.0"), (string?)Path.Combine(OtherFolder, "System.Text.Json.dll")),
        }, Shipped, ModuleFolder);

        var error = DependencyConflicts.Explain(new FileLoadException("Could not load file or assembly 'System.Text.Json, Version=8.0.0.0'"), conflicts)!;

        Assert.Contains("System.Text.Json 6.0.0.0", error.Message);
        Assert.DoesNotContain("System.Memory 4.0.1.1", error.Message);
    }

    [Fact]
    public void Without_a_conflicting_copy_or_with_another_kind_of_failure_nothing_is_explained()
    {
        var conflicts = DependencyConflicts.Find(new[] { (Name("System.Memory", "4.0.1.1"), (string?)Path.Combine(OtherFolder, "System.Memory.dll")) }, Shipped, ModuleFolder);

        Assert.Null(DependencyConflicts.Explain(new MissingMethodException("Method not found"), Array.Empty<DependencyConflict>()));
        Assert.Null(DependencyConflicts.Explain(new IOException("disk full"), conflicts));
        Assert.Null(DependencyConflicts.Explain(new InvalidOperationException("other", new IOException()), conflicts));
    }

    private static AssemblyName Name(string name, string version) =>
        new($"{name}, Version={version}, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51");

    private static ShippedAssembly Ship(string name, string version, string? token) =>
        new(new AssemblyName($"{name}, Version={version}, Culture=neutral, PublicKeyToken={token ?? "null"}"), Path.Combine(ModuleFolder, name + ".dll"));
}
