using System.Text;

namespace Lineage.Serialization;

/// <summary>
/// Stable, readable type names for metadata: <c>System.Collections.Generic.List&lt;System.Int32&gt;</c>,
/// without the assembly versions that make <see cref="Type.AssemblyQualifiedName"/> change between runtimes.
/// </summary>
internal static class TypeNames
{
    public static string Of(Type type)
    {
        var text = new StringBuilder();
        Append(text, type);
        return text.ToString();
    }

    private static void Append(StringBuilder text, Type type)
    {
        if (type.IsArray)
        {
            Append(text, type.GetElementType()!);
            text.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (type.IsNested && !type.IsGenericParameter)
        {
            Append(text, type.DeclaringType!.IsGenericTypeDefinition && type.IsConstructedGenericType
                ? type.DeclaringType.MakeGenericType(type.GetGenericArguments()[..type.DeclaringType.GetGenericArguments().Length])
                : type.DeclaringType);
            text.Append('.');
        }
        else if (!string.IsNullOrEmpty(type.Namespace))
        {
            text.Append(type.Namespace).Append('.');
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        text.Append(tick >= 0 ? name[..tick] : name);

        if (type.IsConstructedGenericType && tick >= 0)
        {
            var own = int.Parse(name[(tick + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var arguments = type.GetGenericArguments();
            text.Append('<');
            for (var i = arguments.Length - own; i < arguments.Length; i++)
            {
                if (i > arguments.Length - own)
                {
                    text.Append(", ");
                }

                Append(text, arguments[i]);
            }

            text.Append('>');
        }
    }
}
