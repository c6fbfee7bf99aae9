using System.Text.RegularExpressions;
using PyContainer.Python.Requirements;

namespace PyContainer.Python.Lock;

/// <summary>
/// A pip requirements file used as a lock: every line 'name==version' with '--hash=sha256:...' options (on the
/// line or on '\'-continued lines), comments, markers after ';'. Index options (--index-url and the like) are
/// left to the build's index settings; anything that installs something other than a pinned project is refused.
/// </summary>
internal static partial class HashedRequirementsReader
{
    // pip's comment rule: '#' at the start or after white space.
    [GeneratedRegex(@"(^|\s+)#.*$", RegexOptions.CultureInvariant)]
    private static partial Regex Comment();

    /// <summary>Options that say where or how pip finds files: the build's own index settings decide that here.</summary>
    private static readonly HashSet<string> IgnoredOptions = new(StringComparer.Ordinal)
    {
        "-i", "--index-url", "--extra-index-url", "--no-index", "-f", "--find-links", "--trusted-host",
        "--prefer-binary", "--only-binary", "--no-binary", "--require-hashes", "--pre", "-c", "--constraint",
    };

    public static List<LockedPackage> Read(string text, LockContext context)
    {
        var packages = new List<LockedPackage>();
        foreach ((int line, string content) in LogicalLines(text))
        {
            if (content.StartsWith('-'))
            {
                CheckFileOption(content, line, context);
                continue;
            }

            if (Package(content, line, context) is { } package)
            {
                packages.Add(package);
            }
        }

        return packages;
    }

    private static LockedPackage? Package(string content, int line, LockContext context)
    {
        // pip's break_args_options: options start at the first ' '-separated token that starts with '-'.
        string[] tokens = content.Split(' ');
        int first = Array.FindIndex(tokens, t => t.StartsWith('-'));
        string requirement = string.Join(' ', first < 0 ? tokens : tokens.Take(first)).Trim();
        List<string> hashes = Hashes(first < 0 ? [] : tokens.Skip(first).Where(t => t.Length > 0).ToArray(), requirement, line, context);

        int semicolon = requirement.IndexOf(';');
        string head = (semicolon < 0 ? requirement : requirement[..semicolon]).Trim();
        if (!context.Holds(semicolon < 0 ? null : requirement[(semicolon + 1)..], line))
        {
            return null;
        }

        Pep508Requirement parsed;
        try
        {
            parsed = Pep508Parser.ParseRequirement(head);
        }
        catch (RequirementSyntaxException e)
        {
            throw context.Unreadable(line, $"'{head}' is not a requirement: {e.Message}");
        }

        if (parsed.Url is not null)
        {
            throw context.NotPinned(line, head, "it installs from a URL, not a pinned version from the package index");
        }

        string? version = parsed.Specifiers.Count == 1 ? Exact(parsed.Specifiers[0]) : null;
        if (version is null)
        {
            throw context.NotPinned(line, head, parsed.Specifiers.Count == 0
                ? "it has no version: write 'name==<version>'"
                : $"'{string.Join(",", parsed.Specifiers)}' allows more than one version: write exactly one '==<version>'");
        }

        if (hashes.Count == 0)
        {
            throw context.NotPinned(line, head, "it has no '--hash=sha256:<hex>' option");
        }

        return new LockedPackage(parsed.Name, version, hashes) { Origin = context.Origin(line) };
    }

    private static string? Exact(string specifier)
    {
        string s = specifier.Trim();
        string? version = s.StartsWith("===", StringComparison.Ordinal) ? s[3..].Trim()
            : s.StartsWith("==", StringComparison.Ordinal) ? s[2..].Trim()
            : null;
        return version is null || version.Contains('*', StringComparison.Ordinal) ? null : version;
    }

    private static List<string> Hashes(string[] options, string requirement, int line, LockContext context)
    {
        var hashes = new List<string>();
        for (int i = 0; i < options.Length; i++)
        {
            string? value = options[i].StartsWith("--hash=", StringComparison.Ordinal) ? options[i]["--hash=".Length..]
                : options[i] == "--hash" && i + 1 < options.Length ? options[++i]
                : throw context.Unreadable(line, $"'{options[i]}' after '{requirement}' is not an option a lock can use: only --hash is");
            int colon = value.IndexOf(':', StringComparison.Ordinal);
            string algorithm = colon < 0 ? "" : value[..colon];
            string hex = value[(colon + 1)..].ToLowerInvariant();
            if (algorithm == "sha256" && LockFile.IsSha256(hex))
            {
                hashes.Add(hex);
            }
            else if (algorithm is not ("sha384" or "sha512"))
            {
                throw context.Unreadable(line, $"'--hash={value}' is not a hash: write sha256:<64 hex digits>");
            }
        }

        return hashes.Distinct(StringComparer.Ordinal).ToList();
    }

    private static void CheckFileOption(string content, int line, LockContext context)
    {
        string option = content.Split([' ', '\t', '='], 2)[0];
        if (IgnoredOptions.Contains(option))
        {
            return;
        }

        string why = option is "-e" or "--editable"
            ? "an editable install is not a pinned package from the index (the app's own files go in with its content; 'uv export' leaves it out with --no-emit-project)"
            : option is "-r" or "--requirement"
                ? "a lock is one file: include the other file's pinned lines in it"
                : $"the option '{option}' is not one a lock can use";
        throw context.NotPinned(line, content, why);
    }

    /// <summary>The file's logical lines with the number of the line each starts on: '\' joins, comments and blanks dropped.</summary>
    private static IEnumerable<(int Line, string Content)> LogicalLines(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int start = 0;
        string pending = "";
        for (int i = 0; i < lines.Length; i++)
        {
            if (pending.Length == 0)
            {
                start = i + 1;
            }

            // pip joins a line ending in '\' with the next, then strips comments from the result.
            if (lines[i].EndsWith('\\') && i + 1 < lines.Length)
            {
                pending += lines[i][..^1] + " ";
                continue;
            }

            string logical = Comment().Replace(pending + lines[i], "").Trim();
            pending = "";
            if (logical.Length > 0)
            {
                yield return (start, logical.Replace('\t', ' '));
            }
        }
    }
}
