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

    /// <summary>The form the runtime stores names in (Unicode NFC), so the accessor, its <c>Name</c> and duplicate checks see what is stored.</summary>
    public static string? Normalize(string? name) => name is null ? null : Lineage.Rules.LineageRules.NormalizeArtifactName(name);

    /// <summary>The runtime's rule (<c>Lineage.ArtifactName.IsValid</c>): one shared source.</summary>
    public static bool IsValid(string? name) => Lineage.Rules.LineageRules.IsValidArtifactName(name);
}
