namespace PyContainer.Python.Requirements;

/// <summary>
/// The environment marker half of the PEP 508 grammar: <c>marker_or := marker_and ('or' marker_and)*</c>,
/// <c>marker_and := marker_atom ('and' marker_atom)*</c>, <c>marker_atom := '(' marker_or ')' | value op value</c>,
/// where a value is a marker variable or a quoted string. With an environment (the target image's marker values)
/// the parser also evaluates the marker; without one it only checks it.
/// </summary>
internal sealed partial class Pep508Parser
{
    /// <summary>The marker variables PEP 751 adds for lock files: sets of names, given one per line.</summary>
    private static readonly string[] LockFileSetVariables = ["extras", "dependency_groups"];

    private readonly IReadOnlyDictionary<string, string>? _environment;

    private Pep508Parser(string text, IReadOnlyDictionary<string, string> environment)
        : this(text) => _environment = environment;

    /// <summary>
    /// Whether <paramref name="marker"/> holds for <paramref name="environment"/> (marker variable → value), as
    /// packaging's Marker.evaluate: versions compare by PEP 440 where both sides are versions, else as strings.
    /// </summary>
    public static bool EvaluateMarker(string marker, IReadOnlyDictionary<string, string> environment)
    {
        var parser = new Pep508Parser(marker, environment);
        parser.SkipWhiteSpace();
        if (parser.AtEnd)
        {
            throw new RequirementSyntaxException("the environment marker is empty");
        }

        bool result = parser.MarkerOr();
        parser.SkipWhiteSpace();
        return parser.AtEnd ? result : throw parser.Unexpected(" in the environment marker");
    }

    // Every operand is parsed even when the result is already known, so a bad marker fails whatever the target.
    private bool MarkerOr()
    {
        bool result = MarkerAnd();
        while (Keyword("or"))
        {
            result |= MarkerAnd();
        }

        return result;
    }

    private bool MarkerAnd()
    {
        bool result = MarkerAtom();
        while (Keyword("and"))
        {
            result &= MarkerAtom();
        }

        return result;
    }

    private bool MarkerAtom()
    {
        SkipWhiteSpace();
        if (Peek('('))
        {
            _position++;
            bool inner = MarkerOr();
            SkipWhiteSpace();
            Expect(')', "to close the '(' of the environment marker");
            SkipWhiteSpace();
            return inner;
        }

        string left = MarkerValue();
        SkipWhiteSpace();
        string op = MarkerOperator();
        SkipWhiteSpace();
        bool rightIsSet = LockFileSetVariables.Contains(Word());
        string right = MarkerValue();
        SkipWhiteSpace();
        return _environment is not null && Compare(left, op, right, rightIsSet);
    }

    private static bool Compare(string left, string op, string right, bool rightIsSet)
    {
        if (rightIsSet && op is "in" or "not in")
        {
            // PEP 751's extras and dependency_groups are sets (one name a line here): membership, not substring.
            return right.Split('\n', StringSplitOptions.RemoveEmptyEntries).Contains(left, StringComparer.Ordinal) == (op == "in");
        }

        if (op is not ("in" or "not in") && Pep440.Satisfies(left, op, right) is { } versions)
        {
            return versions;
        }

        return op switch
        {
            "in" => right.Contains(left, StringComparison.Ordinal),
            "not in" => !right.Contains(left, StringComparison.Ordinal),
            "==" or "===" => left == right,
            "!=" => left != right,
            "<" => string.CompareOrdinal(left, right) < 0,
            "<=" => string.CompareOrdinal(left, right) <= 0,
            ">" => string.CompareOrdinal(left, right) > 0,
            ">=" => string.CompareOrdinal(left, right) >= 0,
            _ => throw new RequirementSyntaxException($"'{left} {op} {right}' compares strings with '{op}', which only versions allow"),
        };
    }

    /// <summary>A quoted string's text, or a variable's value in the environment ("" when only checking).</summary>
    private string MarkerValue()
    {
        if (AtEnd)
        {
            throw new RequirementSyntaxException("the environment marker ends where a marker variable or a quoted string belongs");
        }

        if (Current is '\'' or '"')
        {
            char quote = Current;
            int close = _text.IndexOf(quote, _position + 1);
            if (close < 0)
            {
                throw new RequirementSyntaxException($"the string {_text[_position..]} in the environment marker has no closing {quote}");
            }

            string text = _text[(_position + 1)..close];
            _position = close + 1;
            return text;
        }

        int start = _position;
        while (!AtEnd && (IsAsciiLetterOrDigit(Current) || Current is '_' or '.'))
        {
            _position++;
        }

        string word = _text[start.._position];
        // A lock file's markers may also name the set variables its environment defines (PEP 751).
        if (!MarkerVariables.IsKnown(word) && !(LockFileSetVariables.Contains(word) && _environment?.ContainsKey(word) == true))
        {
            throw new RequirementSyntaxException(word.Length == 0
                ? $"'{Current}' cannot start an environment marker value: use a marker variable ({MarkerVariables.Listed}) or a quoted string"
                : $"'{word}' is not an environment marker variable: use one of {MarkerVariables.Listed}, or quote a string");
        }

        return _environment?.GetValueOrDefault(MarkerVariables.Canonical(word)) ?? "";
    }

    /// <summary>The identifier at the current position, without consuming it ("" before a quoted string).</summary>
    private string Word()
    {
        int end = _position;
        while (end < _text.Length && (IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '.'))
        {
            end++;
        }

        return _text[_position..end];
    }

    private string MarkerOperator()
    {
        if (Keyword("in"))
        {
            return "in";
        }

        if (Keyword("not"))
        {
            if (!Keyword("in"))
            {
                throw Unexpected(" after 'not' in the environment marker (only 'not in' is an operator)");
            }

            return "not in";
        }

        string op = ComparisonOperatorAt()
            ?? throw Unexpected(" where an environment marker operator belongs (==, !=, <, <=, >, >=, ~=, ===, in, not in)");
        _position += op.Length;
        return op;
    }

    /// <summary>Consumes <paramref name="word"/> (after optional white space) when it stands alone, as packaging's \b does.</summary>
    private bool Keyword(string word)
    {
        int save = _position;
        SkipWhiteSpace();
        int end = _position + word.Length;
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0
            && (end == _text.Length || !(IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_'))
            && (_position == 0 || !(IsAsciiLetterOrDigit(_text[_position - 1]) || _text[_position - 1] == '_')))
        {
            _position = end;
            return true;
        }

        _position = save;
        return false;
    }
}
