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
            writer.Line($"var __{member.Name} = count > {i} ? {read}{suppress} : default{suppress};");
        }

        var arguments = string.Join(", ", type.ConstructorMembers.Select(m => "__" + m));
        var initialized = type.Members.Where(m => m.InitOnly && !type.ConstructorMembers.Contains(m.Name)).ToList();
        var assigned = type.Members.Where(m => !m.InitOnly && !type.ConstructorMembers.Contains(m.Name)).ToList();
        writer.Line(initialized.Count == 0
            ? $"var result = new {type.FullName}({arguments});"
            : $"var result = new {type.FullName}({arguments}) {{ {string.Join(", ", initialized.Select(m => $"{m.Name} = __{m.Name}"))} }};");
        for (var i = 0; i < type.Members.Count; i++)
        {
            // Members the data does not have keep what the constructor gave them.
            var member = type.Members[i];
            if (assigned.Contains(member))
            {
                writer.Line($"if (count > {i}) result.{member.Name} = __{member.Name};");
            }
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
