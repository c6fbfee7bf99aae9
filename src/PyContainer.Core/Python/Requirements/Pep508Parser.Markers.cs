namespace PyContainer.Python.Requirements;

/// <summary>
/// The environment marker half of the PEP 508 grammar: <c>marker_or := marker_and ('or' marker_and)*</c>,
/// <c>marker_and := marker_atom ('and' marker_atom)*</c>, <c>marker_atom := '(' marker_or ')' | value op value</c>,
/// where a value is a marker variable or a quoted string.
/// </summary>
internal sealed partial class Pep508Parser
{
    private void MarkerOr()
    {
        MarkerAnd();
        while (Keyword("or"))
        {
            MarkerAnd();
        }
    }

    private void MarkerAnd()
    {
        MarkerAtom();
        while (Keyword("and"))
        {
            MarkerAtom();
        }
    }

    private void MarkerAtom()
    {
        SkipWhiteSpace();
        if (Peek('('))
        {
            _position++;
            MarkerOr();
            SkipWhiteSpace();
            Expect(')', "to close the '(' of the environment marker");
            SkipWhiteSpace();
            return;
        }

        MarkerValue();
        SkipWhiteSpace();
        MarkerOperator();
        SkipWhiteSpace();
        MarkerValue();
        SkipWhiteSpace();
    }

    private void MarkerValue()
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

            _position = close + 1;
            return;
        }

        int start = _position;
        while (!AtEnd && (IsAsciiLetterOrDigit(Current) || Current is '_' or '.'))
        {
            _position++;
        }

        string word = _text[start.._position];
        if (!MarkerVariables.IsKnown(word))
        {
            throw new RequirementSyntaxException(word.Length == 0
                ? $"'{Current}' cannot start an environment marker value: use a marker variable ({MarkerVariables.Listed}) or a quoted string"
                : $"'{word}' is not an environment marker variable: use one of {MarkerVariables.Listed}, or quote a string");
        }
    }

    private void MarkerOperator()
    {
        if (Keyword("in"))
        {
            return;
        }

        if (Keyword("not"))
        {
            if (!Keyword("in"))
            {
                throw Unexpected(" after 'not' in the environment marker (only 'not in' is an operator)");
            }

            return;
        }

        string op = ComparisonOperatorAt()
            ?? throw Unexpected(" where an environment marker operator belongs (==, !=, <, <=, >, >=, ~=, ===, in, not in)");
        _position += op.Length;
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
