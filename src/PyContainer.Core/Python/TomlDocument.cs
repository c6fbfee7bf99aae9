using System.Globalization;
using System.Text;

namespace PyContainer.Python;

/// <summary>
/// The keys of a TOML document (pyproject.toml) flattened to dotted paths ("project.dependencies"): strings and
/// arrays as values, numbers, dates and booleans as their text. <see cref="Parse"/> answers null for anything this
/// reader does not understand, a duplicate key included.
/// </summary>
internal sealed class TomlDocument
{
    private readonly string _text;
    private int _position;
    private int _arrayTables;

    private TomlDocument(string text) => _text = text;

    /// <summary>Every table the document defines or extends, by dotted path (a header, or a dotted key's prefix).</summary>
    public HashSet<string> Tables { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);

    private char Current => _position < _text.Length ? _text[_position] : '\0';

    private bool AtEnd => _position >= _text.Length;

    public static TomlDocument? Parse(string text)
    {
        var document = new TomlDocument(text);
        try
        {
            document.ParseDocument();
            return document;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private void ParseDocument()
    {
        string table = "";
        while (true)
        {
            SkipBlankLinesAndComments();
            if (AtEnd)
            {
                return;
            }

            if (Current == '[')
            {
                table = ParseHeader();
            }
            else
            {
                ParseKeyValue(table);
            }

            ExpectEndOfLine();
        }
    }

    private string ParseHeader()
    {
        bool arrayTable = Peek("[[");
        _position += arrayTable ? 2 : 1;
        string path = Join(ParseKey());
        Expect(arrayTable ? "]]" : "]");
        // An element of an array of tables is a table of its own: number it, so its keys never meet another's.
        string table = arrayTable ? path + "[" + (_arrayTables++).ToString(CultureInfo.InvariantCulture) + "]" : path;
        AddTables(table);
        return table;
    }

    private void ParseKeyValue(string table)
    {
        List<string> key = ParseKey();
        SkipSpaces();
        Expect("=");
        SkipSpaces();
        Assign(table, key, ParseValue());
    }

    private void Assign(string table, List<string> key, object value)
    {
        string path = table.Length == 0 ? Join(key) : table + "." + Join(key);
        int dot = path.LastIndexOf('.');
        if (dot > 0)
        {
            AddTables(path[..dot]);
        }

        if (value is Dictionary<string, object> inlineTable)
        {
            AddTables(path);
            foreach ((string name, object inner) in inlineTable)
            {
                Assign(path, [name], inner);
            }

            return;
        }

        if (Values.ContainsKey(path))
        {
            throw new FormatException("duplicate key " + path);
        }

        Values.Add(path, value);
    }

    private void AddTables(string path)
    {
        for (int dot = path.IndexOf('.'); dot >= 0; dot = path.IndexOf('.', dot + 1))
        {
            Tables.Add(path[..dot]);
        }

        if (path.Length > 0)
        {
            Tables.Add(path);
        }
    }

    /// <summary>
    /// Keys joined with '.'. A quoted key that is no bare key ("a.b", "") stays quoted, so it never aliases a
    /// dotted path; a quoted key that could be bare ("project") is the same key as the bare one, as in TOML.
    /// </summary>
    private static string Join(List<string> key) =>
        string.Join(".", key.Select(k => k.Length > 0 && k.All(IsBareKeyCharacter) ? k : "\"" + k.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));

    private static bool IsBareKeyCharacter(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';

    private List<string> ParseKey()
    {
        var parts = new List<string>();
        while (true)
        {
            SkipSpaces();
            parts.Add(Current switch
            {
                '"' => ParseBasicString(),
                '\'' => ParseLiteralString(),
                _ => ParseBareKey(),
            });
            SkipSpaces();
            if (Current != '.')
            {
                return parts;
            }

            _position++;
        }
    }

    private string ParseBareKey()
    {
        int start = _position;
        while (!AtEnd && IsBareKeyCharacter(Current))
        {
            _position++;
        }

        return _position > start ? _text[start.._position] : throw new FormatException("key expected");
    }

    private object ParseValue()
    {
        if (Peek("\"\"\""))
        {
            return ParseMultiLineString('"');
        }

        if (Peek("'''"))
        {
            return ParseMultiLineString('\'');
        }

        return Current switch
        {
            '"' => ParseBasicString(),
            '\'' => ParseLiteralString(),
            '[' => ParseArray(),
            '{' => ParseInlineTable(),
            _ => ParseScalar(),
        };
    }

    private List<object> ParseArray()
    {
        _position++;
        var values = new List<object>();
        while (true)
        {
            SkipBlankLinesAndComments();
            if (Current == ']')
            {
                _position++;
                return values;
            }

            values.Add(ParseValue());
            SkipBlankLinesAndComments();
            if (Current == ',')
            {
                _position++;
            }
            else if (Current != ']')
            {
                throw new FormatException("',' or ']' expected");
            }
        }
    }

    private Dictionary<string, object> ParseInlineTable()
    {
        _position++;
        var table = new Dictionary<string, object>(StringComparer.Ordinal);
        SkipSpaces();
        if (Current == '}')
        {
            _position++;
            return table;
        }

        while (true)
        {
            List<string> key = ParseKey();
            Expect("=");
            SkipSpaces();
            object value = ParseValue();
            // Dotted keys inside an inline table nest; one level of nesting per part.
            for (int i = key.Count - 1; i > 0; i--)
            {
                value = new Dictionary<string, object>(StringComparer.Ordinal) { [key[i]] = value };
            }

            if (table.ContainsKey(key[0]))
            {
                throw new FormatException("duplicate key in an inline table");
            }

            table.Add(key[0], value);

            SkipSpaces();
            if (Current == '}')
            {
                _position++;
                return table;
            }

            Expect(",");
        }
    }

    /// <summary>A number, boolean or date: its text up to the next delimiter (a date with a space fails later, at the end of line).</summary>
    private Scalar ParseScalar()
    {
        int start = _position;
        while (!AtEnd && Current is not (',' or ']' or '}' or '#' or ' ' or '\t' or '\r' or '\n'))
        {
            _position++;
        }

        return _position > start ? new Scalar(_text[start.._position]) : throw new FormatException("value expected");
    }

    /// <summary>A value that is no string, array or table, kept as its text.</summary>
    private sealed record Scalar(string Text);

    private string ParseLiteralString()
    {
        _position++;
        int end = _text.IndexOf('\'', _position);
        int newline = _text.IndexOf('\n', _position);
        if (end < 0 || (newline >= 0 && newline < end))
        {
            throw new FormatException("unterminated string");
        }

        string value = _text[_position..end];
        _position = end + 1;
        return value;
    }

    private string ParseBasicString()
    {
        _position++;
        var value = new StringBuilder();
        while (Current != '"')
        {
            if (AtEnd || Current == '\n')
            {
                throw new FormatException("unterminated string");
            }

            if (Current == '\\')
            {
                value.Append(ParseEscape());
                continue;
            }

            value.Append(Current);
            _position++;
        }

        _position++;
        return value.ToString();
    }

    /// <summary>"""...""" or '''...''': a newline right after the opening quotes is dropped; up to two quotes may precede the closing ones.</summary>
    private string ParseMultiLineString(char quote)
    {
        _position += 3;
        if (Peek("\r\n"))
        {
            _position += 2;
        }
        else if (Current == '\n')
        {
            _position++;
        }

        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw new FormatException("unterminated string");
            }

            if (Current == quote && Peek(new string(quote, 3)))
            {
                int quotes = 0;
                while (Current == quote && quotes < 5)
                {
                    quotes++;
                    _position++;
                }

                return value.Append(quote, quotes - 3).ToString();
            }

            if (quote == '"' && Current == '\\')
            {
                int after = _position + 1;
                while (after < _text.Length && _text[after] is ' ' or '\t')
                {
                    after++;
                }

                if (after < _text.Length && _text[after] is '\n' or '\r')
                {
                    // A line-ending backslash swallows the line break and the white space after it.
                    _position = after;
                    while (!AtEnd && Current is ' ' or '\t' or '\r' or '\n')
                    {
                        _position++;
                    }

                    continue;
                }

                value.Append(ParseEscape());
                continue;
            }

            value.Append(Current);
            _position++;
        }
    }

    private string ParseEscape()
    {
        char escaped = _position + 1 < _text.Length ? _text[_position + 1] : '\0';
        _position += 2;
        switch (escaped)
        {
            case 'b': return "\b";
            case 't': return "\t";
            case 'n': return "\n";
            case 'f': return "\f";
            case 'r': return "\r";
            case 'e': return "\u001b";
            case '"': return "\"";
            case '\\': return "\\";
            case 'u' or 'U':
                long codePoint = 0;
                for (int digits = escaped == 'u' ? 4 : 8; digits > 0; digits--, _position++)
                {
                    int digit = AtEnd ? -1 : "0123456789abcdef".IndexOf(char.ToLowerInvariant(Current));
                    codePoint = digit >= 0 ? (codePoint * 16) + digit : throw new FormatException("bad unicode escape");
                }

                return codePoint is > 0x10FFFF or (>= 0xD800 and <= 0xDFFF)
                    ? throw new FormatException("bad unicode escape")
                    : char.ConvertFromUtf32((int)codePoint);
            default:
                throw new FormatException("unknown escape");
        }
    }

    private void SkipSpaces()
    {
        while (Current is ' ' or '\t')
        {
            _position++;
        }
    }

    private void SkipBlankLinesAndComments()
    {
        while (!AtEnd)
        {
            SkipSpaces();
            if (Current == '#')
            {
                while (!AtEnd && Current != '\n')
                {
                    _position++;
                }
            }
            else if (Current is '\r' or '\n')
            {
                _position++;
            }
            else
            {
                return;
            }
        }
    }

    private void ExpectEndOfLine()
    {
        SkipSpaces();
        if (Current == '#')
        {
            while (!AtEnd && Current != '\n')
            {
                _position++;
            }
        }

        if (Peek("\r\n"))
        {
            _position += 2;
        }
        else if (Current == '\n')
        {
            _position++;
        }
        else if (!AtEnd)
        {
            throw new FormatException("end of line expected");
        }
    }

    private bool Peek(string expected) => string.CompareOrdinal(_text, _position, expected, 0, expected.Length) == 0;

    private void Expect(string expected)
    {
        SkipSpaces();
        if (!Peek(expected))
        {
            throw new FormatException($"'{expected}' expected");
        }

        _position += expected.Length;
    }
}
