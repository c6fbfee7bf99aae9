using System.Text.RegularExpressions;

namespace PyContainer.Python.Requirements;

/// <summary>
/// One requirement line as pip reads it from a requirements file (pip's req_file and constructors): options
/// start at the first blank-separated token beginning with '-', a line that starts with a URL is a bare URL, and
/// any other line is cut at its first ';' into a PEP 508 requirement and an environment marker. A line is only
/// accepted when pip reads it as exactly that requirement, so nothing else (a package named 'rm', say) is fetched.
/// </summary>
internal static partial class PipLine
{
    /// <summary>pip's is_url: these schemes (before the first ':') make a line a URL rather than a requirement.</summary>
    private static readonly HashSet<string> UrlSchemes = new(StringComparer.Ordinal)
    {
        "http", "https", "file", "ftp",
        "git", "git+http", "git+https", "git+ssh", "git+git", "git+file",
        "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
        "svn", "svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
        "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
    };

    /// <summary>pip expands ${NAME} (upper case, digits, '_') from its environment in every requirements file line.</summary>
    [GeneratedRegex(@"\$\{[A-Z0-9_]+\}", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentVariable();

    /// <summary>RFC 3986 characters; anything else in a URL is a typo or an injection attempt.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,=%]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCharacters();

    [GeneratedRegex(@"^(?:sha256:[0-9a-fA-F]{64}|sha384:[0-9a-fA-F]{96}|sha512:[0-9a-fA-F]{128})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Hash();

    private static readonly string[] ArchiveEndings = [".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar"];

    /// <summary>Throws <see cref="RequirementSyntaxException"/> unless pip reads <paramref name="line"/> as one requirement.</summary>
    public static void Check(string line)
    {
        if (EnvironmentVariable().Match(line) is { Success: true } variable)
        {
            throw new RequirementSyntaxException($"pip replaces '{variable.Value}' with the builder's environment variable of that name; write the value itself");
        }

        (string requirement, string options) = BreakArgsOptions(line);
        requirement = requirement.Trim(' ', '\t');
        if (requirement.Length == 0)
        {
            throw new RequirementSyntaxException("a requirement must come before its options");
        }

        if (IsUrl(requirement))
        {
            // pip splits a bare URL from its marker at "; " only.
            int separator = requirement.IndexOf("; ", StringComparison.Ordinal);
            CheckUrl(separator < 0 ? requirement : requirement[..separator].TrimEnd(' ', '\t'));
            CheckMarker(separator < 0 ? null : requirement[(separator + 2)..]);
            CheckOptions(options);
            return;
        }

        int semicolon = requirement.IndexOf(';');
        string head = semicolon < 0 ? requirement : requirement[..semicolon];
        if (!head.Contains('@') && head.Contains("://"))
        {
            CheckUrl(head.Trim(' ', '\t'));
        }

        if (LooksLikePath(head))
        {
            throw new RequirementSyntaxException("pip would read it as a local path, which the image build cannot reach; "
                + "use a project name (e.g. 'flask>=2.2'), 'name @ https://...', or PythonProjectDirectory for a local project");
        }

        Pep508Requirement parsed = Pep508Parser.ParseRequirement(head);
        if (parsed.Url is not null && semicolon >= 0 && head.Length > 0 && head[^1] is not (' ' or '\t'))
        {
            throw new RequirementSyntaxException("pip cuts the line at its first ';', which follows the URL without a blank: "
                + "if the ';' belongs to the URL, write it as %3B; if it starts the environment marker, put a space before it");
        }

        CheckMarker(semicolon < 0 ? null : requirement[(semicolon + 1)..]);
        CheckOptions(options);
    }

    public static bool IsValid(string line)
    {
        try
        {
            Check(line);
            return line.Length > 0;
        }
        catch (RequirementSyntaxException)
        {
            return false;
        }
    }

    /// <summary>The URL of a bare URL line or of <c>name @ url</c>.</summary>
    internal static void CheckUrl(string url)
    {
        int colon = url.IndexOf(':');
        string scheme = colon > 0 ? url[..colon].ToLowerInvariant() : "";
        if (!UrlSchemes.Contains(scheme) || string.CompareOrdinal(url, colon, "://", 0, 3) != 0)
        {
            throw new RequirementSyntaxException($"'{url}' is not a URL pip can fetch: use https://, http://, file:// or a VCS URL such as git+https://");
        }

        if (url.Contains(';'))
        {
            throw new RequirementSyntaxException($"pip cuts a requirement line at its first ';', so the URL '{url}' would be cut short: write the ';' in it as %3B");
        }

        if (!UrlCharacters().IsMatch(url))
        {
            throw new RequirementSyntaxException($"the URL '{url}' holds characters a URL cannot (quotes, '`', '\\', '<', '>', '{{', '}}', '|', '^', or non-ASCII): percent-encode them");
        }

        string afterScheme = url[(colon + 3)..];
        if (scheme != "file" && (afterScheme.Length == 0 || afterScheme[0] is '/' or '?' or '#'))
        {
            throw new RequirementSyntaxException($"the URL '{url}' names no host");
        }
    }

    private static void CheckMarker(string? marker)
    {
        // pip takes an empty marker ("flask;") as none.
        if (marker is not null && marker.Trim(' ', '\t').Length > 0)
        {
            Pep508Parser.ParseMarker(marker);
        }
    }

    /// <summary>pip's break_args_options: the requirement ends at the first ' '-separated token that starts with '-'.</summary>
    private static (string Requirement, string Options) BreakArgsOptions(string line)
    {
        string[] tokens = line.Split(' ');
        int first = Array.FindIndex(tokens, t => t.StartsWith('-'));
        return first < 0 ? (line, "") : (string.Join(" ", tokens.Take(first)), string.Join(" ", tokens.Skip(first)));
    }

    /// <summary>Per-requirement options: only --hash, which pins what may be installed; the others change how pip builds.</summary>
    private static void CheckOptions(string options)
    {
        string[] tokens = options.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < tokens.Length; i++)
        {
            string token = tokens[i];
            string? value = token.StartsWith("--hash=", StringComparison.Ordinal) ? token["--hash=".Length..]
                : token == "--hash" && i + 1 < tokens.Length ? tokens[++i]
                : null;
            if (value is null)
            {
                throw new RequirementSyntaxException($"'{token}' is not supported after a requirement: only '--hash=sha256:<64 hex digits>' is");
            }

            if (!Hash().IsMatch(value))
            {
                throw new RequirementSyntaxException($"'--hash={value}' is not a hash pip accepts: use sha256:, sha384: or sha512: followed by the hex digest");
            }
        }
    }

    private static bool IsUrl(string text)
    {
        int colon = text.IndexOf(':');
        return colon > 0 && UrlSchemes.Contains(text[..colon].ToLowerInvariant());
    }

    /// <summary>pip's heuristic: a path separator or an archive's extension makes a line a local file or folder.</summary>
    private static bool LooksLikePath(string head) =>
        !head.Contains('@')
        && (head.Contains('/') || head.Contains('\\') || head.StartsWith('.')
            || ArchiveEndings.Any(e => head.TrimEnd(' ', '\t').EndsWith(e, StringComparison.OrdinalIgnoreCase)));
}
