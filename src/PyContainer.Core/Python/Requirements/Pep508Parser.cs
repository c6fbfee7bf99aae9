namespace PyContainer.Python.Requirements;

/// <summary>A requirement or marker that does not follow the grammar; <see cref="Exception.Message"/> says why.</summary>
internal sealed class RequirementSyntaxException(string reason) : Exception(reason);

/// <summary>What a PEP 508 requirement names: its project, extras, version specifiers or URL.</summary>
internal sealed record Pep508Requirement(string Name, IReadOnlyList<string> Extras, IReadOnlyList<string> Specifiers, string? Url);

/// <summary>
/// A recursive-descent parser of PEP 508 (dependency specifiers) with PEP 440 version specifiers, as the
/// `packaging` library that pip uses reads them. It only validates and splits: markers are checked, never evaluated.
/// </summary>
internal sealed partial class Pep508Parser
{
    private static readonly string[] ComparisonOperators = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

    private readonly string _text;
    private int _position;

    private Pep508Parser(string text) => _text = text;

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    /// <summary>Parses <c>name [extras] (specifiers | @ url)</c>; a marker is not part of it (pip splits it off first).</summary>
    public static Pep508Requirement ParseRequirement(string text)
    {
        var parser = new Pep508Parser(text);
        Pep508Requirement requirement = parser.Requirement();
        parser.SkipWhiteSpace();
        if (!parser.AtEnd)
        {
            throw parser.Unexpected(parser.Current == ';' ? "" : " after the requirement");
        }

        return requirement;
    }

    /// <summary>Parses an environment marker such as <c>python_version &lt; "3.11" and os_name == "posix"</c>.</summary>
    public static void ParseMarker(string text)
    {
        var parser = new Pep508Parser(text);
        parser.SkipWhiteSpace();
        if (parser.AtEnd)
        {
            throw new RequirementSyntaxException("the environment marker after ';' is empty");
        }

        _ = parser.MarkerOr();
        parser.SkipWhiteSpace();
        if (!parser.AtEnd)
        {
            throw parser.Unexpected(" in the environment marker");
        }
    }

    /// <summary>True when <paramref name="text"/> is a whole, valid environment marker.</summary>
    public static bool IsMarker(string text)
    {
        try
        {
            ParseMarker(text);
            return true;
        }
        catch (RequirementSyntaxException)
        {
            return false;
        }
    }

    private Pep508Requirement Requirement()
    {
        SkipWhiteSpace();
        string name = Identifier() ?? throw new RequirementSyntaxException(
            AtEnd ? "it is empty" : $"a requirement starts with a project name (e.g. 'flask>=2.2'), not '{Current}'");
        SkipWhiteSpace();
        IReadOnlyList<string> extras = Peek('[') ? Extras() : [];
        SkipWhiteSpace();
        if (Peek('@'))
        {
            _position++;
            SkipWhiteSpace();
            return new Pep508Requirement(name, extras, [], Url());
        }

        IReadOnlyList<string> specifiers;
        if (Peek('('))
        {
            _position++;
            specifiers = VersionMany();
            SkipWhiteSpace();
            Expect(')', "to close the version specifiers opened by '('");
        }
        else
        {
            specifiers = VersionMany();
        }

        return new Pep508Requirement(name, extras, specifiers, null);
    }

    /// <summary>PEP 508 names: ASCII letters and digits, with '.', '_' and '-' inside but not at either end.</summary>
    private string? Identifier()
    {
        int start = _position;
        int end = start;
        if (end < _text.Length && !IsAsciiLetterOrDigit(_text[end]))
        {
            return null;
        }

        while (end < _text.Length && (IsAsciiLetterOrDigit(_text[end]) || _text[end] is '.' or '_' or '-'))
        {
            end++;
        }

        while (end > start && !IsAsciiLetterOrDigit(_text[end - 1]))
        {
            end--; // a trailing separator is not part of the name: what follows it is then reported as unexpected.
        }

        if (end == start)
        {
            return null;
        }

        _position = end;
        return _text[start..end];
    }

    private List<string> Extras()
    {
        _position++; // '['
        var extras = new List<string>();
        SkipWhiteSpace();
        if (Peek(']'))
        {
            _position++;
            return extras;
        }

        while (true)
        {
            SkipWhiteSpace();
            extras.Add(Identifier() ?? throw Unexpected(" where an extra's name belongs (e.g. 'flask[async]')"));
            SkipWhiteSpace();
            if (Peek(','))
            {
                _position++;
                continue;
            }

            Expect(']', "to close the extras (names separated by ',')");
            return extras;
        }
    }

    private List<string> VersionMany()
    {
        var specifiers = new List<string>();
        SkipWhiteSpace();
        if (ComparisonOperatorAt() is null)
        {
            return specifiers;
        }

        while (true)
        {
            SkipWhiteSpace();
            specifiers.Add(VersionSpecifier());
            SkipWhiteSpace();
            if (!Peek(','))
            {
                return specifiers;
            }

            _position++;
        }
    }

    private string VersionSpecifier()
    {
        string op = ComparisonOperatorAt() ?? throw Unexpected(" where a version specifier belongs (e.g. '>=2.2')");
        _position += op.Length;
        SkipWhiteSpace();
        int start = _position;
        while (!AtEnd && !char.IsWhiteSpace(Current) && Current is not (',' or ';' or ')'))
        {
            _position++;
        }

        string version = _text[start.._position];
        if (!Pep440.IsValidFor(op, version, out string why))
        {
            throw new RequirementSyntaxException($"'{op}{version}' is not a valid version specifier: {why}");
        }

        return op + version;
    }

    /// <summary>The URL of <c>name @ url</c>: up to white space. pip only accepts the schemes it can fetch.</summary>
    private string Url()
    {
        int start = _position;
        while (!AtEnd && !char.IsWhiteSpace(Current))
        {
            _position++;
        }

        string url = _text[start.._position];
        if (url.Length == 0)
        {
            throw new RequirementSyntaxException("'@' must be followed by a URL (e.g. 'name @ https://example.com/name-1.0.tar.gz')");
        }

        PipLine.CheckUrl(url);
        return url;
    }

    private string? ComparisonOperatorAt() =>
        ComparisonOperators.FirstOrDefault(op => string.CompareOrdinal(_text, _position, op, 0, op.Length) == 0);

    private bool Peek(char c) => !AtEnd && Current == c;

    private void Expect(char c, string purpose)
    {
        if (!Peek(c))
        {
            throw AtEnd
                ? new RequirementSyntaxException($"'{c}' is missing {purpose}")
                : new RequirementSyntaxException($"'{c}' was expected {purpose}, not '{Current}' (column {_position + 1})");
        }

        _position++;
    }

    private RequirementSyntaxException Unexpected(string where) =>
        AtEnd
            ? new RequirementSyntaxException($"the line ends{where}")
            : new RequirementSyntaxException($"unexpected '{Rest()}'{where} (column {_position + 1})");

    private string Rest() => _text.Length - _position > 40 ? $"{_text.Substring(_position, 40)}..." : _text[_position..];

    private void SkipWhiteSpace()
    {
        while (!AtEnd && Current is ' ' or '\t')
        {
            _position++;
        }
    }

    private static bool IsAsciiLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
}
