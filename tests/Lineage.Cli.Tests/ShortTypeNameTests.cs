using System.Text.RegularExpressions;
using Lineage.Cli.Output;

namespace Lineage.Cli.Tests;

/// <summary>
/// <see cref="Formats.ShortTypeName"/> scans by hand (a regular expression cost the tool's start more than the listing): it must
/// shorten exactly as the pattern it replaced did, which this test keeps as the reference.
/// </summary>
public sealed partial class ShortTypeNameTests
{
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["System.String"] = "string", ["System.Boolean"] = "bool", ["System.Byte"] = "byte", ["System.SByte"] = "sbyte",
        ["System.Char"] = "char", ["System.Int16"] = "short", ["System.UInt16"] = "ushort", ["System.Int32"] = "int",
        ["System.UInt32"] = "uint", ["System.Int64"] = "long", ["System.UInt64"] = "ulong", ["System.Single"] = "float",
        ["System.Double"] = "double", ["System.Decimal"] = "decimal", ["System.Object"] = "object",
    };

    [Theory]
    [InlineData("System.Collections.Generic.Dictionary<System.String, System.Double>", "Dictionary<string, double>")]
    [InlineData("System.Double[]", "double[]")]
    [InlineData("double[]", "double[]")]
    [InlineData("MyApp.Models.Outer+Inner", "Outer+Inner")]
    [InlineData("System.Collections.Generic.List`1[[System.String, System.Private.CoreLib]]", "List`1[[string, CoreLib]]")]
    [InlineData("", "")]
    public void Shortens_recorded_type_names(string recorded, string shown) => Assert.Equal(shown, Formats.ShortTypeName(recorded));

    [Fact]
    public void Shortens_as_the_regular_expression_it_replaced()
    {
        string[] pieces = ["System", ".", "Collections", "Generic", "List", "<", ">", ", ", "[", "]", "+", "`1", "_x", "a1", "1a", "Ünïcødé", "日本", "..", "String", "Double", " ", "Int32", "Ns", "9"];
        var random = new Random(17);
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.Equal(Reference(text), Formats.ShortTypeName(text));
        }
    }

    private static string Reference(string typeName) =>
        QualifiedName().Replace(typeName, match => Keywords.TryGetValue(match.Value, out var keyword) ? keyword : match.Groups["name"].Value);

    [GeneratedRegex(@"(?:[\p{L}_][\p{L}\p{Nd}_]*\.)+(?<name>[\p{L}_][\p{L}\p{Nd}_]*)")]
    private static partial Regex QualifiedName();
}
