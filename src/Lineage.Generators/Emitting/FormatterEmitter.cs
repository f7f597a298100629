using System.Linq;
using Lineage.Generators.Model;

namespace Lineage.Generators.Emitting;

/// <summary>
/// Emits a MemoryPack formatter for an <c>[Artifact]</c> type, in MemoryPack's object layout: a header with the
/// member count, then the members in declaration order. A reader takes the members the data has and leaves the
/// rest at their defaults, so values saved before members were appended still load.
/// </summary>
internal static class FormatterEmitter
{
    public static void Emit(SourceWriter writer, ArtifactTypeSpec type)
    {
        var valueType = type.IsValueType ? type.FullName : type.FullName + "?";
        writer.Line(SourceWriter.GeneratedCode);
        writer.Open($"internal sealed class {type.FormatterName} : global::MemoryPack.MemoryPackFormatter<{type.FullName}>");

        writer.Open($"public override void Serialize<TBufferWriter>(ref global::MemoryPack.MemoryPackWriter<TBufferWriter> writer, scoped ref {valueType} value)");
        if (!type.IsValueType)
        {
            writer.Open("if (value is null)").Line("writer.WriteNullObjectHeader();").Line("return;").Close().Line();
        }

        writer.Line($"writer.WriteObjectHeader({type.Members.Count});");
        foreach (var member in type.Members)
        {
            writer.Line(member.Encoding switch
            {
                MemberEncoding.Unmanaged => $"writer.WriteUnmanaged(value.{member.Name});",
                MemberEncoding.String => $"writer.WriteString(value.{member.Name});",
                MemberEncoding.UnmanagedArray => $"writer.WriteUnmanagedArray(value.{member.Name});",
                _ => $"writer.WriteValue(value.{member.Name});",
            });
        }

        writer.Close().Line();

        writer.Open($"public override void Deserialize(ref global::MemoryPack.MemoryPackReader reader, scoped ref {valueType} value)");
        writer.Open("if (!reader.TryReadObjectHeader(out var count))").Line("value = default!;").Line("return;").Close().Line();
        writer.Open($"if (count > {type.Members.Count})")
            .Line($"throw new global::MemoryPack.MemoryPackSerializationException(\"{Escape(type.FullName)} was written with \" + count + \" members; this version of the type has {type.Members.Count}: it cannot read values saved by a newer shape.\");")
            .Close().Line();

        for (var i = 0; i < type.Members.Count; i++)
        {
            var member = type.Members[i];
            var read = member.Encoding switch
            {
                MemberEncoding.Unmanaged => $"reader.ReadUnmanaged<{member.Type}>()",
                MemberEncoding.String => "reader.ReadString()",
                MemberEncoding.UnmanagedArray => $"reader.ReadUnmanagedArray<{member.ElementType}>()",
                _ => $"reader.ReadValue<{member.Type}>()",
            };
            var suppress = member.NeedsSuppression ? "!" : string.Empty;
            writer.Line($"var __{member.Name} = count > {i} ? {read}{suppress} : {member.MissingValue}{suppress};");
        }

        // Members the data lacks keep what the type itself gives them (constructor defaults, initializers):
        // optional init-only members go into the object initializer only when the data has them.
        var arguments = string.Join(", ", type.ConstructorMembers.Select(m => "__" + m));
        var indexed = type.Members.Select((member, index) => (Member: member, Index: index)).Where(m => !type.ConstructorMembers.Contains(m.Member.Name)).ToList();
        var required = indexed.Where(m => m.Member.Required).ToList();
        var optional = indexed.Where(m => m.Member.InitOnly && !m.Member.Required).ToList();
        string Construct(int optionalCount)
        {
            var initialized = required.Concat(optional.Take(optionalCount)).OrderBy(m => m.Index).Select(m => $"{m.Member.Name} = __{m.Member.Name}").ToList();
            return initialized.Count == 0 ? $"new {type.FullName}({arguments})" : $"new {type.FullName}({arguments}) {{ {string.Join(", ", initialized)} }}";
        }

        if (optional.Count == 0)
        {
            writer.Line($"var result = {Construct(0)};");
        }
        else
        {
            writer.Line($"{type.FullName} result;");
            for (var k = optional.Count; k > 0; k--)
            {
                writer.Line($"{(k == optional.Count ? "if" : "else if")} (count > {optional[k - 1].Index}) result = {Construct(k)};");
            }

            writer.Line($"else result = {Construct(0)};");
        }

        foreach (var (member, index) in indexed.Where(m => !m.Member.InitOnly))
        {
            writer.Line($"if (count > {index}) result.{member.Name} = __{member.Name};");
        }

        writer.Line("value = result;");
        writer.Close();
        writer.Close();
    }

    /// <summary>The schema fingerprint recorded with each saved value: <c>member:type</c> in serialization order.</summary>
    public static string Schema(ArtifactTypeSpec type) => string.Join(";", type.Members.Select(m => m.Name + ":" + m.SchemaType));

    public static void EmitRegistrations(SourceWriter writer, System.Collections.Generic.IReadOnlyList<ArtifactTypeSpec> types)
    {
        writer.Line(SourceWriter.GeneratedCode);
        writer.Open("internal static class LineageArtifactTypeRegistrations");
        writer.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        writer.Open("internal static void Register()");
        foreach (var type in types)
        {
            writer.Line($"global::MemoryPack.MemoryPackFormatterProvider.Register(new {type.FormatterName}());");
            writer.Line($"global::MemoryPack.MemoryPackFormatterProvider.Register(new global::MemoryPack.Formatters.ArrayFormatter<{type.FullName}>());");
            writer.Line($"global::Lineage.Serialization.ArtifactTypes.Register<{type.FullName}>(\"{Escape(Schema(type))}\");");
        }

        writer.Close();
        writer.Close();
    }

    internal static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
