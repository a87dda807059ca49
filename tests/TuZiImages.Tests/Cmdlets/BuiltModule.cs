using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace TuZiImages.Tests.Cmdlets;

/// <summary>The built module folder, read as metadata: no PowerShell engine is loaded.</summary>
public sealed class BuiltModule : IDisposable
{
    public BuiltModule()
    {
        var metadata = typeof(BuiltModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value!);
        Directory = metadata["ModuleDirectory"];
        var paths = System.IO.Directory.GetFiles(Directory, "*.dll")
            .Concat(new[] { metadata["PowerShellReferenceAssembly"] })
            .Concat(System.IO.Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Where(p => !System.IO.Directory.GetFiles(Directory, "*.dll").Select(Path.GetFileName).Contains(Path.GetFileName(p))));
        Context = new MetadataLoadContext(new PathAssemblyResolver(paths), "netstandard");
        Assembly = Context.LoadFromAssemblyPath(Path.Combine(Directory, "TuZiImages.dll"));
    }

    public string Directory { get; }
    public MetadataLoadContext Context { get; }
    public Assembly Assembly { get; }

    public IEnumerable<Type> Cmdlets => Assembly.GetTypes().Where(t => !t.IsAbstract && Attribute(t, "CmdletAttribute") is not null);

    public Type Cmdlet(string name) => Cmdlets.Single(t => CmdletName(t) == name);

    public static string CmdletName(Type type)
    {
        var attribute = Attribute(type, "CmdletAttribute")!;
        return attribute.ConstructorArguments[0].Value + "-" + attribute.ConstructorArguments[1].Value;
    }

    public static CustomAttributeData? Attribute(MemberInfo member, string name) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);

    public static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string name) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.Name == name);

    public static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    /// <summary>A public parameter of a cmdlet, with everything its [Parameter] attributes say.</summary>
    public static IReadOnlyList<ParameterFacts> Parameters(Type cmdlet) =>
        cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => Attributes(p, "ParameterAttribute").Any())
            .Select(p => new ParameterFacts(p))
            .ToList();

    public void Dispose() => Context.Dispose();
}

public sealed class ParameterFacts
{
    public ParameterFacts(PropertyInfo property)
    {
        Property = property;
        Sets = BuiltModule.Attributes(property, "ParameterAttribute").ToList();
        Aliases = BuiltModule.Attributes(property, "AliasAttribute")
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!))
            .ToArray();
    }

    public PropertyInfo Property { get; }
    public string Name => Property.Name;
    public string TypeName => Property.PropertyType.Name;
    public IReadOnlyList<CustomAttributeData> Sets { get; }
    public string[] Aliases { get; }

    public bool Mandatory(string? set = null) => For(set, a => BuiltModule.Named<bool>(a, "Mandatory"));
    public bool FromPipeline(string? set = null) => For(set, a => BuiltModule.Named<bool>(a, "ValueFromPipeline"));
    public bool FromPipelineByPropertyName(string? set = null) => For(set, a => BuiltModule.Named<bool>(a, "ValueFromPipelineByPropertyName"));
    public int Position(string? set = null) => Sets.Where(a => set is null || SetOf(a) == set).Select(a => BuiltModule.Named<int?>(a, "Position") ?? int.MinValue).First();
    public IEnumerable<string> SetNames => Sets.Select(SetOf);
    public string? Completer => BuiltModule.Attribute(Property, "ArgumentCompleterAttribute")?.ConstructorArguments[0].Value is Type t ? t.Name : null;

    private static string SetOf(CustomAttributeData a) => BuiltModule.Named<string>(a, "ParameterSetName") ?? "__AllParameterSets";

    private bool For(string? set, Func<CustomAttributeData, bool> test) => Sets.Where(a => set is null || SetOf(a) == set).Any(test);
}
