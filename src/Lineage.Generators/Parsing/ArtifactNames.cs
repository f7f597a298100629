using System.Text;

namespace Lineage.Generators.Parsing;

/// <summary>Artifact names and the identifiers generated for them.</summary>
internal static class ArtifactNames
{
    /// <summary><c>iris-model</c>, <c>iris_model</c>, <c>iris.model</c> → <c>IrisModel</c>; a leading digit gets an underscore.</summary>
    public static string ToPascalCase(string name)
    {
        var text = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            text.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (text.Length == 0 || char.IsDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }

    /// <summary>The same rule as <c>Lineage.ArtifactName.IsValid</c> in the runtime.</summary>
    public static bool IsValid(string? name)
    {
        if (name is null || name.Length == 0 || name.Length > 200 || !char.IsLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '-' && c != '_' && c != '.' && c != '/')
            {
                return false;
            }
        }

        return true;
    }
}
