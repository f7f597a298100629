using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Lineage.Generators.Configuration;

/// <summary>A JSON value with where it stands in the file, so diagnostics can point at the exact token.</summary>
internal abstract record JsonNode(TextSpan Span);

internal sealed record JsonString(string Value, TextSpan Span) : JsonNode(Span);

internal sealed record JsonScalar(string Text, TextSpan Span) : JsonNode(Span);

internal sealed record JsonProperty(string Name, TextSpan NameSpan, JsonNode Value);

internal sealed record JsonObject(IReadOnlyList<JsonProperty> Properties, TextSpan Span) : JsonNode(Span);

internal sealed record JsonArray(IReadOnlyList<JsonNode> Items, TextSpan Span) : JsonNode(Span);

/// <summary>Raised for text that is not valid JSON, at the offending position.</summary>
internal sealed class JsonSyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>
/// A small JSON reader for <c>lineage.json</c> (analyzers cannot bring System.Text.Json along). Accepts comments and
/// trailing commas, as the runtime does.
/// </summary>
internal sealed class JsonReader
{
    private readonly string _text;
    private int _position;

    private JsonReader(string text) => _text = text;

    public static JsonNode Parse(string text)
    {
        var reader = new JsonReader(text);
        var value = reader.Value();
        reader.SkipTrivia();
        if (reader._position < text.Length)
        {
            throw new JsonSyntaxException("unexpected text after the JSON value", reader._position);
        }

        return value;
    }

    private JsonNode Value()
    {
        SkipTrivia();
        if (_position >= _text.Length)
        {
            throw new JsonSyntaxException("unexpected end of file", _position);
        }

        var start = _position;
        switch (_text[_position])
        {
            case '{':
                return Object();
            case '[':
                return Array();
            case '"':
                var value = String();
                return new JsonString(value, TextSpan.FromBounds(start, _position));
            default:
                while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '-' or '+' or '.'))
                {
                    _position++;
                }

                var text = _text.Substring(start, _position - start);
                if (text is "true" or "false" or "null" || IsJsonNumber(text))
                {
                    return new JsonScalar(text, TextSpan.FromBounds(start, _position));
                }

                throw new JsonSyntaxException(text.Length == 0 ? $"unexpected character '{_text[start]}'" : $"'{text}' is not a JSON value", start);
        }
    }

    /// <summary>
    /// RFC 8259's number grammar, as the runtime's System.Text.Json reads it: no NaN or Infinity, no leading '+', no leading
    /// zeros, digits on both sides of a '.'.
    /// </summary>
    private static bool IsJsonNumber(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i < text.Length && text[i] == '0')
        {
            i++;
        }
        else if (!Digits(text, ref i))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!Digits(text, ref i))
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (!Digits(text, ref i))
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static bool Digits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            i++;
        }

        return i > start;
    }

    private JsonObject Object()
    {
        var start = _position++;
        var properties = new List<JsonProperty>();
        while (true)
        {
            SkipTrivia();
            if (Peek() == '}')
            {
                _position++;
                return new JsonObject(properties, TextSpan.FromBounds(start, _position));
            }

            if (Peek() != '"')
            {
                throw new JsonSyntaxException("expected a property name in double quotes or '}'", _position);
            }

            var nameStart = _position;
            var name = String();
            var nameSpan = TextSpan.FromBounds(nameStart, _position);
            SkipTrivia();
            Expect(':');
            properties.Add(new JsonProperty(name, nameSpan, Value()));
            SkipTrivia();
            if (Peek() == ',')
            {
                _position++;
            }
            else if (Peek() != '}')
            {
                throw new JsonSyntaxException("expected ',' or '}'", _position);
            }
        }
    }

    private JsonArray Array()
    {
        var start = _position++;
        var items = new List<JsonNode>();
        while (true)
        {
            SkipTrivia();
            if (Peek() == ']')
            {
                _position++;
                return new JsonArray(items, TextSpan.FromBounds(start, _position));
            }

            items.Add(Value());
            SkipTrivia();
            if (Peek() == ',')
            {
                _position++;
            }
            else if (Peek() != ']')
            {
                throw new JsonSyntaxException("expected ',' or ']'", _position);
            }
        }
    }

    private string String()
    {
        var start = _position++;
        var value = new StringBuilder();
        while (_position < _text.Length)
        {
            var c = _text[_position++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\' && _position < _text.Length)
            {
                var escaped = _text[_position++];
                switch (escaped)
                {
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case 'r': value.Append('\r'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'u' when _position + 4 <= _text.Length
                        && int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                        value.Append((char)code);
                        _position += 4;
                        break;
                    case '"' or '\\' or '/': value.Append(escaped); break;
                    default: throw new JsonSyntaxException($"invalid escape '\\{escaped}'", _position - 2);
                }

                continue;
            }

            if (c is '\n' or '\r')
            {
                break;
            }

            value.Append(c);
        }

        throw new JsonSyntaxException("unterminated string", start);
    }

    private void SkipTrivia()
    {
        while (_position < _text.Length)
        {
            if (char.IsWhiteSpace(_text[_position]))
            {
                _position++;
            }
            else if (_text[_position] == '/' && _position + 1 < _text.Length && _text[_position + 1] == '/')
            {
                while (_position < _text.Length && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (_text[_position] == '/' && _position + 1 < _text.Length && _text[_position + 1] == '*')
            {
                var end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new JsonSyntaxException("unterminated comment", _position);
                }

                _position = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw new JsonSyntaxException($"expected '{c}'", _position);
        }

        _position++;
    }
}
