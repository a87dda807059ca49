using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace TuZiImages.Tests.Desktop;

/// <summary>
/// Which assemblies running a method can make the runtime load: every type its signature, locals and IL name,
/// following calls into the module's own assemblies (not into the framework or PowerShell). Read from the IL of
/// the built files, so it sees what the JIT will see, including lambdas and static constructors.
/// </summary>
public sealed class ReachableAssemblies : IDisposable
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    private readonly Dictionary<string, Module> _modules = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<(string, MethodDefinitionHandle)> _visited = new();
    private readonly Queue<(Module, MethodDefinitionHandle)> _work = new();

    /// <param name="followInto">The assemblies whose code is followed: the module's own.</param>
    public ReachableAssemblies(string directory, params string[] followInto)
    {
        foreach (var name in followInto)
        {
            _modules[name] = new Module(name, Path.Combine(directory, name + ".dll"));
        }
    }

    /// <summary>Assembly name, and the first method found that needs it.</summary>
    public Dictionary<string, string> Found { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Walks every method of a type (and of the types nested in it) and all they reach.</summary>
    public ReachableAssemblies FromType(string assembly, string fullName)
    {
        var module = _modules[assembly];
        var type = module.FindType(fullName) ?? throw new ArgumentException($"{fullName} is not in {assembly}");
        foreach (var method in module.MethodsOf(type, nested: true))
        {
            Enqueue(module, method);
        }
        while (_work.Count > 0)
        {
            var (m, handle) = _work.Dequeue();
            Walk(m, handle);
        }
        return this;
    }

    private void Enqueue(Module module, MethodDefinitionHandle method)
    {
        if (_visited.Add((module.Name, method)))
        {
            _work.Enqueue((module, method));
        }
    }

    private void Walk(Module module, MethodDefinitionHandle handle)
    {
        var md = module.Reader;
        var method = md.GetMethodDefinition(handle);
        var where = module.Describe(handle);
        var collector = new Collector(module, where, Found);
        method.DecodeSignature(collector, null);
        // Running a method runs its type's static constructor first.
        foreach (var cctor in module.MethodsOf(method.GetDeclaringType(), nested: false).Where(m => md.GetString(md.GetMethodDefinition(m).Name) == ".cctor"))
        {
            Enqueue(module, cctor);
        }
        if (method.RelativeVirtualAddress == 0)
        {
            return;
        }
        var body = module.PE.GetMethodBody(method.RelativeVirtualAddress);
        if (!body.LocalSignature.IsNil)
        {
            md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(collector, null);
        }
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il.ReadByte()));
            }
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    Token(module, collector, MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSwitch:
                    il.Offset += 4 * il.ReadInt32();
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.ShortInlineR:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
            }
        }
    }

    private void Token(Module module, Collector collector, EntityHandle handle)
    {
        var md = module.Reader;
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            case HandleKind.TypeReference:
            case HandleKind.TypeSpecification:
                collector.Type(handle);
                break;
            case HandleKind.FieldDefinition:
                var field = md.GetFieldDefinition((FieldDefinitionHandle)handle);
                field.DecodeSignature(collector, null);
                collector.Type(field.GetDeclaringType());
                break;
            case HandleKind.MethodDefinition:
                Enqueue(module, (MethodDefinitionHandle)handle);
                break;
            case HandleKind.MethodSpecification:
                var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                spec.DecodeSignature(collector, null);
                Token(module, collector, spec.Method);
                break;
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)handle);
                if (member.GetKind() == MemberReferenceKind.Method)
                {
                    member.DecodeMethodSignature(collector, null);
                }
                else
                {
                    member.DecodeFieldSignature(collector, null);
                }
                if (member.Parent.Kind is HandleKind.TypeReference or HandleKind.TypeSpecification or HandleKind.TypeDefinition)
                {
                    collector.Type(member.Parent);
                    FollowInto(md, member);
                }
                break;
        }
    }

    // A call into another of the module's assemblies: walk the methods of that name there.
    private void FollowInto(MetadataReader md, MemberReference member)
    {
        var parent = member.Parent;
        if (parent.Kind == HandleKind.TypeSpecification)
        {
            var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            {
                return;
            }
            blob.ReadCompressedInteger();
            parent = blob.ReadTypeHandle();
        }
        if (parent.Kind != HandleKind.TypeReference)
        {
            return;
        }
        var reference = md.GetTypeReference((TypeReferenceHandle)parent);
        if (reference.ResolutionScope.Kind != HandleKind.AssemblyReference)
        {
            return;
        }
        var scope = md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name);
        if (!_modules.TryGetValue(scope, out var target))
        {
            return;
        }
        var type = target.FindType(Module.FullName(md, reference.Namespace, reference.Name));
        if (type is null)
        {
            return;
        }
        var name = md.GetString(member.Name);
        foreach (var method in target.MethodsOf(type.Value, nested: false).Where(m => target.Reader.GetString(target.Reader.GetMethodDefinition(m).Name) == name))
        {
            Enqueue(target, method);
        }
    }

    public void Dispose()
    {
        foreach (var module in _modules.Values)
        {
            module.Dispose();
        }
    }

    private sealed class Module : IDisposable
    {
        private readonly FileStream _stream;

        public Module(string name, string path)
        {
            Name = name;
            _stream = File.OpenRead(path);
            PE = new PEReader(_stream);
            Reader = PE.GetMetadataReader();
        }

        public string Name { get; }
        public PEReader PE { get; }
        public MetadataReader Reader { get; }

        public static string FullName(MetadataReader md, StringHandle ns, StringHandle name) =>
            md.GetString(ns) is { Length: > 0 } n ? n + "." + md.GetString(name) : md.GetString(name);

        public TypeDefinitionHandle? FindType(string fullName) =>
            Reader.TypeDefinitions.Where(h => FullName(Reader, Reader.GetTypeDefinition(h).Namespace, Reader.GetTypeDefinition(h).Name) == fullName)
                .Select(h => (TypeDefinitionHandle?)h).FirstOrDefault();

        public IEnumerable<MethodDefinitionHandle> MethodsOf(TypeDefinitionHandle type, bool nested)
        {
            var definition = Reader.GetTypeDefinition(type);
            foreach (var method in definition.GetMethods())
            {
                yield return method;
            }
            if (nested)
            {
                foreach (var inner in definition.GetNestedTypes().SelectMany(t => MethodsOf(t, nested: true)))
                {
                    yield return inner;
                }
            }
        }

        public string Describe(MethodDefinitionHandle handle)
        {
            var method = Reader.GetMethodDefinition(handle);
            var type = Reader.GetTypeDefinition(method.GetDeclaringType());
            return $"{Name}: {FullName(Reader, type.Namespace, type.Name)}.{Reader.GetString(method.Name)}";
        }

        public void Dispose()
        {
            PE.Dispose();
            _stream.Dispose();
        }
    }

    /// <summary>Notes the assembly of every type a signature names.</summary>
    private sealed class Collector : ISignatureTypeProvider<object?, object?>
    {
        private readonly Module _module;
        private readonly string _where;
        private readonly Dictionary<string, string> _found;

        public Collector(Module module, string where, Dictionary<string, string> found)
        {
            _module = module;
            _where = where;
            _found = found;
        }

        public void Type(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    Note(_module.Name);
                    break;
                case HandleKind.TypeReference:
                    Note(ScopeOf((TypeReferenceHandle)handle));
                    break;
                case HandleKind.TypeSpecification:
                    _module.Reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
            }
        }

        private string ScopeOf(TypeReferenceHandle handle)
        {
            var md = _module.Reader;
            var scope = md.GetTypeReference(handle).ResolutionScope;
            return scope.Kind switch
            {
                HandleKind.AssemblyReference => md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
                HandleKind.TypeReference => ScopeOf((TypeReferenceHandle)scope),
                _ => _module.Name,
            };
        }

        private void Note(string assembly) => _found.TryAdd(assembly, _where);

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) { Type(handle); return null; }
        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) { Type(handle); return null; }
        public object? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) { Type(handle); return null; }
        public object? GetArrayType(object? elementType, ArrayShape shape) => null;
        public object? GetByReferenceType(object? elementType) => null;
        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;
        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;
        public object? GetGenericMethodParameter(object? genericContext, int index) => null;
        public object? GetGenericTypeParameter(object? genericContext, int index) => null;
        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;
        public object? GetPinnedType(object? elementType) => null;
        public object? GetPointerType(object? elementType) => null;
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;
        public object? GetSZArrayType(object? elementType) => null;
    }
}
