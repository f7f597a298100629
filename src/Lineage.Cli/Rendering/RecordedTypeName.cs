using System.Reflection;

namespace Lineage.Cli.Rendering;

/// <summary>
/// Finds the <see cref="Type"/> behind a type name as Lineage records it (<see cref="ArtifactRecord.TypeName"/>):
/// C#-like and without assembly names, e.g. <c>System.Collections.Generic.Dictionary&lt;System.String, System.Double&gt;</c>,
/// <c>System.Single[][]</c>, <c>System.Int32[,]</c>, <c>IrisPipeline.IrisModel</c>, <c>Outer.Nested</c>.
/// </summary>
public static class RecordedTypeName
{
    /// <summary>Assemblies with the collection and value types MemoryPack formats out of the box, besides the core library.</summary>
    private static readonly string[] FrameworkAssemblies =
    [
        "System.Collections",
        "System.Collections.Concurrent",
        "System.Collections.Immutable",
        "System.ObjectModel",
        "System.Runtime.Numerics",
        "System.Private.Uri",
    ];

    /// <summary>
    /// The type named <paramref name="typeName"/>, looked up in the framework and then in <paramref name="assemblies"/>
    /// (e.g. loaded with <c>--assembly</c>); null when some part of it is in none of them.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="typeName"/> is not a recorded type name.</exception>
    public static Type? Resolve(string typeName, IReadOnlyList<Assembly> assemblies)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(assemblies);
        var parser = new Parser(typeName);
        var parsed = parser.ParseType();
        parser.ExpectEnd();
        return Resolve(parsed, [.. Framework(), .. assemblies]);
    }

    private static IEnumerable<Assembly> Framework()
    {
        yield return typeof(object).Assembly;
        foreach (var name in FrameworkAssemblies)
        {
            Assembly? assembly;
            try
            {
                assembly = Assembly.Load(name);
            }
            catch (IOException)
            {
                assembly = null;
            }

            if (assembly is not null)
            {
                yield return assembly;
            }
        }
    }

    private static Type? Resolve(ParsedType parsed, IReadOnlyList<Assembly> assemblies)
    {
        var arguments = new List<Type>();
        foreach (var argument in parsed.Segments.SelectMany(s => s.Arguments))
        {
            if (Resolve(argument, assemblies) is not { } resolved)
            {
                return null;
            }

            arguments.Add(resolved);
        }

        var type = FindDefinition(parsed.Segments, assemblies);
        if (type is null)
        {
            return null;
        }

        if (arguments.Count > 0)
        {
            type = type.MakeGenericType([.. arguments]);
        }

        foreach (var rank in parsed.ArrayRanks)
        {
            // T[] is a vector; MakeArrayType(1) would make the multi-dimensional T[*] instead.
            type = rank == 1 ? type.MakeArrayType() : type.MakeArrayType(rank);
        }

        return type;
    }

    /// <summary>
    /// The open type of a dotted name. Which dots separate namespaces and which nest types is not written down,
    /// so each split is tried, the longest namespace first: <c>A.B.C</c> is <c>A.B+C</c>'s <c>C</c> only if no <c>A.B.C</c> exists.
    /// </summary>
    private static Type? FindDefinition(IReadOnlyList<Segment> segments, IReadOnlyList<Assembly> assemblies)
    {
        for (var top = segments.Count - 1; top >= 0; top--)
        {
            if (segments.Take(top).Any(s => s.Arguments.Count > 0))
            {
                continue;
            }

            var metadataName = string.Join('.', segments.Take(top + 1).Select(s => MetadataName(s)))
                + string.Concat(segments.Skip(top + 1).Select(s => "+" + MetadataName(s)));
            foreach (var assembly in assemblies)
            {
                if (assembly.GetType(metadataName, throwOnError: false) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    private static string MetadataName(Segment segment) => segment.Arguments.Count == 0
        ? segment.Name
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{segment.Name}`{segment.Arguments.Count}");

    private sealed record Segment(string Name, IReadOnlyList<ParsedType> Arguments);

    private sealed record ParsedType(IReadOnlyList<Segment> Segments, IReadOnlyList<int> ArrayRanks);

    /// <summary>type := segment ('.' segment)* ('[' ','* ']')*; segment := identifier ('&lt;' type (',' type)* '&gt;')?</summary>
    private sealed class Parser(string text)
    {
        private int _position;

        public ParsedType ParseType()
        {
            var segments = new List<Segment> { ParseSegment() };
            while (Peek() == '.')
            {
                _position++;
                segments.Add(ParseSegment());
            }

            var ranks = new List<int>();
            while (Peek() == '[')
            {
                _position++;
                var rank = 1;
                while (Peek() == ',')
                {
                    _position++;
                    rank++;
                }

                Expect(']');
                ranks.Add(rank);
            }

            return new ParsedType(segments, ranks);
        }

        public void ExpectEnd()
        {
            if (_position != text.Length)
            {
                throw Error();
            }
        }

        private Segment ParseSegment()
        {
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            if (_position == start)
            {
                throw Error();
            }

            var name = text[start.._position];
            var arguments = new List<ParsedType>();
            if (Peek() == '<')
            {
                _position++;
                arguments.Add(ParseArgument());
                while (Peek() == ',')
                {
                    _position++;
                    arguments.Add(ParseArgument());
                }

                Expect('>');
            }

            return new Segment(name, arguments);
        }

        private ParsedType ParseArgument()
        {
            while (Peek() == ' ')
            {
                _position++;
            }

            return ParseType();
        }

        private char? Peek() => _position < text.Length ? text[_position] : null;

        private void Expect(char expected)
        {
            if (Peek() != expected)
            {
                throw Error();
            }

            _position++;
        }

        private FormatException Error() => new($"'{text}' is not a type name Lineage records (at character {_position + 1}).");
    }
}
