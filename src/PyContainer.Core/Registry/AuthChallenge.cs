using System.Text;

namespace PyContainer.Registry;

/// <summary>
/// One challenge of a WWW-Authenticate header (RFC 7235): a scheme and its parameters, e.g.
/// <c>Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"</c>.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => string.Equals(Scheme, "Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>
    /// Every challenge of the header values (a response may send several headers, a header several challenges).
    /// Parameter names are case-insensitive; values may be tokens or quoted strings with backslash escapes.
    /// A malformed tail is dropped rather than guessed at.
    /// </summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        var challenges = new List<AuthChallenge>();
        foreach (string header in headerValues)
        {
            ParseOne(header, challenges);
        }

        return challenges;
    }

    public static IReadOnlyList<AuthChallenge> Parse(string header) => Parse([header]);

    private static void ParseOne(string header, List<AuthChallenge> challenges)
    {
        int i = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipSeparators(header, ref i);
            if (i >= header.Length)
            {
                break;
            }

            string token = ReadToken(header, ref i);
            if (token.Length == 0)
            {
                break; // A character no token may start with: the rest is not parseable.
            }

            SkipSpaces(header, ref i);
            if (i < header.Length && header[i] == '=' && scheme is not null && IsToken68Tail(header, i))
            {
                // The scheme's token68 value ("Negotiate abc=="): no parameter, nothing a registry client uses.
                while (i < header.Length && header[i] == '=')
                {
                    i++;
                }

                continue;
            }

            if (i < header.Length && header[i] == '=' && scheme is not null)
            {
                i++;
                SkipSpaces(header, ref i);
                parameters[token] = i < header.Length && header[i] == '"' ? ReadQuoted(header, ref i) : ReadToken(header, ref i);
                continue;
            }

            // A token not followed by '=' starts the next challenge.
            if (scheme is not null)
            {
                challenges.Add(new AuthChallenge(scheme, parameters));
                parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }

            scheme = token;
        }

        if (scheme is not null)
        {
            challenges.Add(new AuthChallenge(scheme, parameters));
        }
    }

    /// <summary>token68 credentials end in '=' padding ("Negotiate abc=="): that '=' starts no parameter.</summary>
    private static bool IsToken68Tail(string header, int equals)
    {
        int j = equals;
        while (j < header.Length && header[j] == '=')
        {
            j++;
        }

        int run = j - equals;
        SkipSpaces(header, ref j);
        return run > 1 || j >= header.Length || header[j] == ',';
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t'))
        {
            i++;
        }
    }

    private static void SkipSeparators(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
        {
            i++;
        }
    }

    private static string ReadToken(string s, ref int i)
    {
        int start = i;
        while (i < s.Length && IsTokenChar(s[i]))
        {
            i++;
        }

        return s[start..i];
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var value = new StringBuilder();
        i++; // the opening quote
        while (i < s.Length && s[i] != '"')
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
            }

            value.Append(s[i]);
            i++;
        }

        i++; // the closing quote (past the end when it is missing)
        return value.ToString();
    }

    // RFC 7230 tchar, plus '/' so token68 values and unquoted URLs of lax servers read as one token.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~/:".Contains(c, StringComparison.Ordinal);
}
