using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using TuZiImages.Tests.Cmdlets;

namespace TuZiImages.Tests.Desktop;

/// <summary>
/// netstandard2.0 promises the API, but what runs in Windows PowerShell is .NET Framework 4.7.2's: every type and
/// member the module's own assemblies use must be found there (through netstandard.dll's forwards), in the
/// module folder, or in PowerShell 5.1's engine.
/// </summary>
public class DesktopApiTests : IClassFixture<BuiltModule>
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
    private readonly BuiltModule _module;

    public DesktopApiTests(BuiltModule module) => _module = module;

    [Theory]
    [InlineData("TuZiImages.dll")]
    [InlineData("TuZiImages.Core.dll")]
    public void Every_type_and_member_the_module_uses_exists_in_NET_Framework_472(string file)
    {
        using var desktop = DesktopContext();

        using var stream = File.OpenRead(Path.Combine(_module.Directory, file));
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var missing = new List<string>();
        var checkedMembers = 0;

        foreach (var handle in md.TypeReferences)
        {
            if (Resolve(desktop, md, handle) is null)
            {
                missing.Add("type " + Name(md, handle));
            }
        }
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            var parent = ParentType(md, member.Parent);
            if (parent is null)
            {
                continue;
            }
            var type = Resolve(desktop, md, parent.Value);
            if (type is null)
            {
                continue; // already reported as a missing type
            }
            var name = md.GetString(member.Name);
            checkedMembers++;
            if (!Exists(type, name, member))
            {
                missing.Add($"{type.FullName}::{name}");
            }
        }

        Assert.True(checkedMembers > 50, $"only {checkedMembers} members were checked");
        Assert.True(missing.Count == 0, $"{file} uses what .NET Framework 4.7.2 lacks:\n" + string.Join("\n", missing.Distinct()));
    }

    [Fact]
    public void The_check_tells_a_member_NET_Framework_has_from_one_it_lacks()
    {
        using var desktop = DesktopContext();
        // Through netstandard.dll's forward, as the module names it.
        var handler = desktop.LoadFromAssemblyName("netstandard").GetType("System.Net.Http.HttpClientHandler", throwOnError: true)!;

        Assert.Equal("System.Net.Http", handler.Assembly.GetName().Name);
        // 4.7.2's in-box handler has the per-host connection limit that -ThrottleLimit relies on...
        Assert.NotEmpty(handler.GetMember("set_MaxConnectionsPerServer", Everything));
        // ...and HttpClient has SendAsync but not the synchronous Send that only .NET 5 added.
        var client = desktop.LoadFromAssemblyName("netstandard").GetType("System.Net.Http.HttpClient", throwOnError: true)!;
        Assert.NotEmpty(client.GetMember("SendAsync", Everything));
        Assert.Empty(client.GetMember("Send", Everything));
    }

    private MetadataLoadContext DesktopContext()
    {
        var framework = NetFramework472.Instance;
        var metadata = typeof(DesktopApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value!);
        var paths = Directory.GetFiles(framework.Directory, "*.dll")
            .Concat(Directory.GetFiles(Path.Combine(framework.Directory, "Facades"), "*.dll"))
            .Concat(Directory.GetFiles(_module.Directory, "*.dll"))
            .Append(metadata["PowerShellReferenceAssembly"]);
        return new MetadataLoadContext(new PathAssemblyResolver(paths), "mscorlib");
    }

    private static bool Exists(Type type, string name, MemberReference member)
    {
        int? parameters = member.GetKind() == MemberReferenceKind.Method ? member.DecodeMethodSignature(new CountingProvider(), null).ParameterTypes.Length : null;
        for (var t = type; t is not null; t = t.BaseType)
        {
            var found = t.GetMember(name, Everything).Any(m => parameters is null || m is not MethodBase method || method.GetParameters().Length == parameters);
            if (found)
            {
                return true;
            }
        }
        // Interface members (and default interface methods) are found on the interfaces.
        return type.GetInterfaces().Any(i => i.GetMember(name, Everything).Any());
    }

    private static TypeReferenceHandle? ParentType(MetadataReader md, EntityHandle parent)
    {
        if (parent.Kind == HandleKind.TypeReference)
        {
            return (TypeReferenceHandle)parent;
        }
        if (parent.Kind == HandleKind.TypeSpecification)
        {
            var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
            if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
            {
                blob.ReadCompressedInteger();
                var generic = blob.ReadTypeHandle();
                return generic.Kind == HandleKind.TypeReference ? (TypeReferenceHandle)generic : null;
            }
        }
        return null;
    }

    private static Type? Resolve(MetadataLoadContext desktop, MetadataReader md, TypeReferenceHandle handle)
    {
        var reference = md.GetTypeReference(handle);
        var scope = reference.ResolutionScope;
        if (scope.Kind == HandleKind.TypeReference)
        {
            return Resolve(desktop, md, (TypeReferenceHandle)scope)?.GetNestedType(md.GetString(reference.Name), BindingFlags.Public | BindingFlags.NonPublic);
        }
        if (scope.Kind != HandleKind.AssemblyReference)
        {
            return null;
        }
        var assemblyName = md.GetAssemblyReference((AssemblyReferenceHandle)scope).GetAssemblyName();
        try
        {
            var assembly = desktop.LoadFromAssemblyName(assemblyName.Name!);
            return assembly.GetType(Name(md, handle), throwOnError: false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static string Name(MetadataReader md, TypeReferenceHandle handle)
    {
        var reference = md.GetTypeReference(handle);
        var ns = md.GetString(reference.Namespace);
        return ns.Length > 0 ? ns + "." + md.GetString(reference.Name) : md.GetString(reference.Name);
    }

    private sealed class CountingProvider : ISignatureTypeProvider<int, object?>
    {
        public int GetArrayType(int elementType, ArrayShape shape) => 0;
        public int GetByReferenceType(int elementType) => 0;
        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
        public int GetGenericInstantiation(int genericType, System.Collections.Immutable.ImmutableArray<int> typeArguments) => 0;
        public int GetGenericMethodParameter(object? genericContext, int index) => 0;
        public int GetGenericTypeParameter(object? genericContext, int index) => 0;
        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
        public int GetPinnedType(int elementType) => 0;
        public int GetPointerType(int elementType) => 0;
        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
        public int GetSZArrayType(int elementType) => 0;
        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => 0;
        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => 0;
        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => 0;
    }
}
