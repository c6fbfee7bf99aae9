using System.Text.RegularExpressions;

namespace PyContainer.SdkTests;

/// <summary>
/// One test method's source, read as text (the end-to-end tests are in an assembly this project does not reference):
/// its data rows (each [InlineData] attribute, each line of the member a [MemberData] names) and its attributes plus body.
/// </summary>
internal sealed partial record TestMethodSource(IReadOnlyList<string> DataRows, string Body)
{
    public bool IsTheory => DataRows.Count > 0;

    [GeneratedRegex(@"MemberData\(nameof\((?<name>\w+)\)")]
    private static partial Regex MemberData();

    public static TestMethodSource? Find(IEnumerable<string> sources, string type, string method)
    {
        var declaration = new Regex($@"\b(void|Task)\s+{Regex.Escape(method)}\s*\(");
        string? source = sources.FirstOrDefault(s => Regex.IsMatch(s, $@"\bclass\s+{Regex.Escape(type)}\b") && declaration.IsMatch(s));
        if (source is null)
        {
            return null;
        }

        int start = declaration.Match(source).Index;
        int lineStart = source.LastIndexOf('\n', start) + 1;
        string[] attributes = Attributes(source, lineStart);
        string body = source[lineStart..EndOfMember(source, start)];
        var rows = attributes.Where(a => a.StartsWith("[InlineData(", StringComparison.Ordinal)).ToList();
        foreach (Match member in attributes.Select(a => MemberData().Match(a)).Where(m => m.Success))
        {
            rows.AddRange(MemberRows(source, member.Groups["name"].Value));
        }

        return new TestMethodSource(rows, string.Join('\n', attributes) + "\n" + body);
    }

    /// <summary>The attributes right above a declaration, one string each (an attribute may span lines).</summary>
    private static string[] Attributes(string source, int lineStart)
    {
        var lines = new List<string>();
        string[] above = source[..lineStart].Split('\n');
        for (int i = above.Length - 2; i >= 0; i--)
        {
            string line = above[i].Trim();
            if (line.Length == 0 || line.StartsWith('}') || line.StartsWith('{') || line.EndsWith(';'))
            {
                break;
            }

            lines.Insert(0, line);
        }

        var attributes = new List<string>();
        foreach (string line in lines.Where(l => !l.StartsWith("//", StringComparison.Ordinal)))
        {
            if (line.StartsWith('[') || attributes.Count == 0)
            {
                attributes.Add(line);
            }
            else
            {
                attributes[^1] += "\n" + line;
            }
        }

        return [.. attributes];
    }

    /// <summary>The lines of a data member's initializer that hold a value (a letter, digit or string; not brackets, braces or comments).</summary>
    private static IEnumerable<string> MemberRows(string source, string name)
    {
        Match member = Regex.Match(source, $@"\b{Regex.Escape(name)}\s*(\(\s*\))?\s*(=>|=|\{{)");
        if (!member.Success)
        {
            return [];
        }

        string text = source[member.Index..EndOfMember(source, member.Index)];
        return text.Split('\n').Skip(1)
            .Select(l => l.Trim())
            .Where(l => !l.StartsWith("//", StringComparison.Ordinal) && (l.Any(char.IsLetterOrDigit) || l.Contains('"', StringComparison.Ordinal)));
    }

    /// <summary>Where a member that starts at <paramref name="start"/> ends: its block's closing brace, or the ';' of
    /// an expression body or initializer, outside strings, characters and brackets.</summary>
    private static int EndOfMember(string source, int start)
    {
        int depth = 0;
        bool block = false;
        for (int i = start; i < source.Length; i++)
        {
            char c = source[i];
            if (c == '"' || c == '\'')
            {
                i = EndOfLiteral(source, i);
                continue;
            }

            if (c is '(' or '[' or '{')
            {
                block |= c == '{' && depth == 0 && !source[start..i].Contains("=>", StringComparison.Ordinal) && !source[start..i].Contains('=');
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
                if (depth == 0 && block && c == '}')
                {
                    return i + 1;
                }
            }
            else if (c == ';' && depth == 0)
            {
                return i + 1;
            }
        }

        return source.Length;
    }

    /// <summary>The index of the last character of the string or character literal that opens at <paramref name="i"/>.</summary>
    private static int EndOfLiteral(string source, int i)
    {
        char quote = source[i];
        bool verbatim = i > 0 && (source[i - 1] == '@' || (i > 1 && source[i - 2] == '@'));
        if (quote == '"' && string.CompareOrdinal(source, i, "\"\"\"", 0, 3) == 0)
        {
            int run = 0;
            while (source[i + run] == '"')
            {
                run++;
            }

            int end = source.IndexOf(new string('"', run), i + run, StringComparison.Ordinal);
            return end < 0 ? source.Length : end + run - 1;
        }

        for (int j = i + 1; j < source.Length; j++)
        {
            if (source[j] == '\\' && !verbatim)
            {
                j++;
            }
            else if (source[j] == quote)
            {
                if (verbatim && j + 1 < source.Length && source[j + 1] == '"')
                {
                    j++;
                    continue;
                }

                return j;
            }
        }

        return source.Length;
    }
}
