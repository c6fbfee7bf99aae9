using System.Text;
using System.Text.RegularExpressions;
using PyContainer.Diagnostics;

namespace PyContainer.Context;

/// <summary>
/// Patterns with docker's `.dockerignore` semantics: Go filepath.Match wildcards (`*` and `?` never cross a
/// `/`, `[...]` classes with `^` negation, `\` escapes), `**` for any number of folders, a leading `/` ignored,
/// `#` comment lines, `!` re-including what an earlier line excluded. The last pattern that matches a path
/// decides, and a pattern that matches a folder matches everything in it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<DockerIgnorePattern> _patterns;

    private DockerIgnore(List<DockerIgnorePattern> patterns) => _patterns = patterns;

    public IReadOnlyList<DockerIgnorePattern> Patterns => _patterns;

    /// <summary>
    /// Whether an excluded folder must still be walked: as docker does, only when a `!` line's pattern starts
    /// with the folder's path (`!docs/keep.txt` for `docs`); otherwise nothing in it can come back.
    /// </summary>
    public bool MayReincludeUnder(string folder) =>
        _patterns.Any(p => p.Reincludes && (p.Pattern + "/").StartsWith(folder.Trim('/') + "/", StringComparison.Ordinal));

    /// <summary>Patterns as given (no comment lines); <paramref name="source"/> names them in errors and reasons.</summary>
    public static DockerIgnore FromPatterns(IEnumerable<string> patterns, string source)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var parsed = new List<DockerIgnorePattern>();
        int line = 0;
        foreach (string pattern in patterns)
        {
            line++;
            if (Parse(pattern, source, line) is { } p)
            {
                parsed.Add(p);
            }
        }

        return new DockerIgnore(parsed);
    }

    /// <summary>Reads a .dockerignore file's text as docker does: a BOM dropped, `#` lines skipped, blanks trimmed.</summary>
    public static DockerIgnore Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parsed = new List<DockerIgnorePattern>();
        string[] lines = text.TrimStart('\uFEFF').Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            // Docker only takes '#' as a comment in the first column, before trimming.
            if (!lines[i].StartsWith('#') && Parse(lines[i], source, i + 1) is { } p)
            {
                parsed.Add(p);
            }
        }

        return new DockerIgnore(parsed);
    }

    /// <summary>
    /// Whether <paramref name="path"/> (relative, '/'-separated) is excluded, and the pattern that decided it
    /// (null when none matched: the path is not excluded).
    /// </summary>
    public (bool Excluded, DockerIgnorePattern? Decider) Match(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] parts = path.Trim('/').Split('/');
        bool excluded = false;
        DockerIgnorePattern? decider = null;
        foreach (DockerIgnorePattern pattern in _patterns)
        {
            // An exclusion only matters for a path not excluded yet, a re-include only for one that is.
            if (pattern.Reincludes != excluded)
            {
                continue;
            }

            if (MatchesItselfOrAParent(pattern, parts))
            {
                excluded = !pattern.Reincludes;
                decider = pattern;
            }
        }

        return (excluded, decider);
    }

    private static bool MatchesItselfOrAParent(DockerIgnorePattern pattern, string[] parts)
    {
        for (int length = parts.Length; length >= 1; length--)
        {
            if (pattern.Regex.IsMatch(string.Join("/", parts, 0, length)))
            {
                return true;
            }
        }

        return false;
    }

    private static DockerIgnorePattern? Parse(string raw, string source, int line)
    {
        string pattern = raw.Trim();
        if (pattern.Length == 0)
        {
            return null;
        }

        bool reincludes = pattern[0] == '!';
        if (reincludes)
        {
            pattern = pattern.Substring(1).Trim();
            if (pattern.Length == 0)
            {
                throw Errors.Create(Errors.InvalidDockerIgnorePattern, source, line, raw.Trim(), "'!' needs a pattern after it");
            }
        }

        pattern = Clean(pattern);
        if (pattern.Length > 1 && pattern[0] == '/')
        {
            pattern = pattern.Substring(1);
        }

        return new DockerIgnorePattern(raw.Trim(), pattern, source, line, reincludes, ToRegex(pattern, raw.Trim(), source, line));
    }

    /// <summary>Go's path.Clean: no empty, "." or trailing segments, ".." resolved where it can be.</summary>
    private static string Clean(string pattern)
    {
        bool rooted = pattern.StartsWith('/');
        var parts = new List<string>();
        foreach (string part in pattern.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !rooted)
            {
                parts.Add(part);
            }
        }

        string cleaned = string.Join("/", parts);
        return rooted ? "/" + cleaned : cleaned.Length == 0 ? "." : cleaned;
    }

    /// <summary>The anchored regular expression docker builds from a pattern.</summary>
    private static Regex ToRegex(string pattern, string raw, string source, int line)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    // "**/" is "**": any number of folders, or none.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                    }

                    regex.Append(i + 1 == pattern.Length ? ".*" : "(.*/)?");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\':
                    if (i + 1 == pattern.Length)
                    {
                        throw Errors.Create(Errors.InvalidDockerIgnorePattern, source, line, raw, "it ends in a lone '\\'");
                    }

                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    i = AppendClass(pattern, i, regex, raw, source, line);
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>A Go character class from '[' at <paramref name="start"/>; returns the index of its ']'.</summary>
    private static int AppendClass(string pattern, int start, StringBuilder regex, string raw, string source, int line)
    {
        var body = new StringBuilder("[");
        int i = start + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            body.Append('^');
            i++;
        }

        int elements = 0;
        while (i < pattern.Length && !(pattern[i] == ']' && elements > 0))
        {
            body.Append(ClassChar(ReadClassChar(pattern, ref i)));
            if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
            {
                i++;
                body.Append('-').Append(ClassChar(ReadClassChar(pattern, ref i)));
            }

            elements++;
        }

        if (i >= pattern.Length)
        {
            throw Errors.Create(Errors.InvalidDockerIgnorePattern, source, line, raw, "a '[' character class is not closed by ']' (write '\\[' for a literal '[')");
        }

        regex.Append(body).Append(']');
        return i;
    }

    /// <summary>The class member at <paramref name="i"/> ('\\' escapes the next one); moves past it.</summary>
    private static char ReadClassChar(string pattern, ref int i)
    {
        if (pattern[i] == '\\' && i + 1 < pattern.Length)
        {
            i++;
        }

        return pattern[i++];
    }

    private static string ClassChar(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();
}

/// <summary>One line of a .dockerignore (or of a built-in list), kept for the context list's reasons.</summary>
/// <param name="Text">The line as written (for reasons and errors).</param>
/// <param name="Pattern">The cleaned pattern, without '!' or a leading '/'.</param>
public sealed record DockerIgnorePattern(string Text, string Pattern, string Source, int Line, bool Reincludes, Regex Regex)
{
    public override string ToString() => $"{Source} line {Line} '{Text}'";
}
