using static Lineage.Generators.Tests.Mutation;

namespace Lineage.Generators.Tests;

/// <summary>
/// The constructs of the provenance table in docs/artifacts.md that the slice covers by taking in every type it names
/// whole: user-defined conversions and operators (compound, <c>true</c>/<c>false</c>), indexers, interpolated string
/// handlers, <c>[CollectionBuilder]</c> collections, <c>init</c> defaults, primary-constructor defaults, attribute
/// arguments read by reflection and <c>nameof</c>. Each edit changes the value and must change <c>CodeVersion</c>.
/// </summary>
public sealed class ConstructProvenanceTests
{
    private static readonly SourceFile[] Constructs =
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", """
            using System;
            using System.Reflection;

            namespace Prov;

            public static class Model
            {
                public static double Weight = 1;

                [Scale(2.0)]
                public static double Compute()
                {
                    Money price = 3.0;
                    price += 4.0;
                    var both = price && (Money)5.0 ? 1.0 : 0.0;
                    var log = Log.Format($"{price.Amount}");
                    Bag bag = [1.0, 2.0];
                    var scale = typeof(Model).GetMethod(nameof(Compute))!.GetCustomAttribute<ScaleAttribute>()!.Factor;
                    return (double)price + price[2] + both + log.Length + bag.Total + new Settings().Rate + new Scaler().Apply(1.0) + scale + nameof(Weight).Length;
                }
            }
            """),
        new("Types.cs", """
            using System;
            using System.Collections;
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            using System.Text;

            namespace Prov;

            public readonly struct Money(double amount)
            {
                public double Amount { get; } = amount;

                public double this[int times] => Amount * times;

                public static implicit operator Money(double amount) => new(amount * 1.0);

                public static explicit operator double(Money money) => money.Amount;

                public static Money operator +(Money a, Money b) => new(a.Amount + b.Amount);

                public static Money operator &(Money a, Money b) => new(Math.Min(a.Amount, b.Amount));

                public static bool operator true(Money money) => money.Amount > 0;

                public static bool operator false(Money money) => money.Amount <= 0;
            }

            [InterpolatedStringHandler]
            public ref struct LogHandler
            {
                private readonly StringBuilder _text;

                public LogHandler(int literalLength, int formattedCount) => _text = new StringBuilder(literalLength);

                public void AppendLiteral(string text) => _text.Append(text);

                public void AppendFormatted<T>(T value) => _text.Append(value).Append('!');

                public override string ToString() => _text.ToString();
            }

            public static class Log
            {
                public static string Format(LogHandler handler) => handler.ToString();
            }

            [CollectionBuilder(typeof(BagBuilder), nameof(BagBuilder.Create))]
            public sealed class Bag(double[] items) : IEnumerable<double>
            {
                public double Total { get; } = items.Length;

                public IEnumerator<double> GetEnumerator() => ((IEnumerable<double>)items).GetEnumerator();

                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            }

            public static class BagBuilder
            {
                public static Bag Create(ReadOnlySpan<double> items) => new(items.ToArray());
            }

            public sealed class Settings
            {
                public double Rate { get; init; } = 0.2;
            }

            public sealed class Scaler(double factor = 2.0)
            {
                public double Apply(double x) => x * factor;
            }

            [AttributeUsage(AttributeTargets.Method)]
            public sealed class ScaleAttribute(double factor) : Attribute
            {
                public double Factor { get; } = factor;
            }
            """),
    ];

    [Theory]
    [InlineData("Types.cs", "amount * 1.0", "amount * 2.0")]                        // an implicit conversion
    [InlineData("Types.cs", "=> money.Amount;", "=> money.Amount * 2;")]           // an explicit conversion
    [InlineData("Types.cs", "new(a.Amount + b.Amount)", "new(a.Amount + b.Amount + 1)")] // the operator += uses
    [InlineData("Types.cs", "money.Amount > 0", "money.Amount > 100")]            // operator true, used by &&
    [InlineData("Types.cs", "Amount * times", "Amount * times * 2")]              // an indexer
    [InlineData("Types.cs", ".Append('!')", ".Append(\"!!\")")]                   // an interpolated string handler
    [InlineData("Types.cs", "new(items.ToArray())", "new([.. items, 3.0])")]      // a collection builder
    [InlineData("Types.cs", "= 0.2;", "= 0.3;")]                                  // an init default
    [InlineData("Types.cs", "factor = 2.0", "factor = 3.0")]                      // a primary-constructor default
    [InlineData("Model.cs", "[Scale(2.0)]", "[Scale(4.0)]")]                      // an attribute argument read by reflection
    [InlineData("Model.cs", "Weight", "Mass")]                                    // a name nameof takes
    public void Editing_code_the_compiler_calls_for_a_construct_changes_the_code_version_and_the_value(string path, string from, string to) =>
        AssertChanges(Constructs, path, from, to);

    [Fact]
    public void A_comment_in_a_type_the_slice_names_leaves_the_code_version_unchanged() =>
        AssertUnchanged(Constructs, "Types.cs", "=> money.Amount;", "=> money.Amount; // as is");
}
