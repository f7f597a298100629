using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Generators.Parsing;

/// <summary>C# source text for a parameter's default value, as generated code repeats it.</summary>
internal static class Literals
{
    public static string DefaultValueOf(IParameterSymbol parameter)
    {
        var type = parameter.Type;
        var value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            return type.IsValueType && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return $"({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}){Primitive(value)}";
        }

        return value switch
        {
            double d when double.IsNaN(d) => "double.NaN",
            double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
            double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
            float f when float.IsNaN(f) => "float.NaN",
            float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
            float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
            float => Primitive(value) + "F",
            double => Primitive(value) + "D",
            decimal => Primitive(value) + "M",
            long => Primitive(value) + "L",
            ulong => Primitive(value) + "UL",
            uint => Primitive(value) + "U",
            _ => Primitive(value),
        };
    }

    private static string Primitive(object value) => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false);
}
