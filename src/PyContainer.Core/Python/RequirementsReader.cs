using PyContainer.Diagnostics;
using PyContainer.Python.Requirements;

namespace PyContainer.Python;

/// <summary>
/// Reads pip requirements files and inline requirement items into one list of requirement lines.
/// Options that would change where pip looks are refused with the property that replaces them, so that
/// package sources stay a project setting (and credentials in them never reach a file in the build context).
/// </summary>
internal static class RequirementsReader
{
    private static readonly Dictionary<string, string> OptionsWithProperties = new(StringComparer.Ordinal)
    {
        ["-i"] = "PythonPackageIndexUrl",
        ["--index-url"] = "PythonPackageIndexUrl",
        ["--extra-index-url"] = "PythonExtraPackageIndexUrl",
        ["-f"] = "PythonPackageIndexUrl",
        ["--find-links"] = "PythonPackageIndexUrl",
        ["--no-index"] = "PythonPackageIndexUrl",
        ["--trusted-host"] = "PythonPackageIndexUrl",
        ["-c"] = "PythonRequirement items",
        ["--constraint"] = "PythonRequirement items",
        ["-e"] = "PythonRequirement items",
        ["--editable"] = "PythonRequirement items",
    };

    public static List<string> Read(IEnumerable<string> files, IEnumerable<string> inline, string projectDirectory)
    {
        var lines = new List<string>();
        foreach (string file in files)
        {
            ReadFile(Path.GetFullPath(file, projectDirectory), lines, new HashSet<string>(StringComparer.Ordinal));
        }

        foreach (string requirement in inline)
        {
            lines.Add(Validate(requirement.Trim(), "the PythonRequirement items"));
        }

        return lines;
    }

    private static void ReadFile(string path, List<string> lines, HashSet<string> visiting)
    {
        if (!File.Exists(path))
        {
            throw Errors.Create(Errors.RequirementsFileMissing, path);
        }

        if (!visiting.Add(path))
        {
            return; // pip tolerates a file included twice; a cycle must not loop forever.
        }

        string[] physical;
        try
        {
            physical = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable (permissions, a special file): a coded error, not a task crash with a stack trace.
            throw Errors.Create(Errors.InputFileUnreadable, e, "PythonRequirementsFile", path, e.Message);
        }

        foreach ((int lineNumber, string logical) in JoinContinuations(physical))
        {
            string line = StripComment(logical).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('-'))
            {
                string option = line.Split([' ', '='], 2)[0];
                if (option is "-r" or "--requirement")
                {
                    string included = line[option.Length..].TrimStart(' ', '=').Trim();
                    ReadFile(Path.GetFullPath(included, Path.GetDirectoryName(path)!), lines, visiting);
                    continue;
                }

                string property = OptionsWithProperties.TryGetValue(option, out string? p) ? p : "PythonRequirement items";
                throw Errors.Create(Errors.UnsupportedRequirementOption, path, lineNumber, option, property);
            }

            lines.Add(Validate(line, $"{path} line {lineNumber}"));
        }
    }

    /// <summary>
    /// As pip does: a trailing '\' joins the next line with nothing in between, except on a comment line; each
    /// logical line comes with the number of its first physical line, for errors.
    /// </summary>
    private static IEnumerable<(int LineNumber, string Text)> JoinContinuations(IEnumerable<string> physical)
    {
        string pending = "";
        int number = 0, first = 0;
        bool continuing = false;
        foreach (string line in physical)
        {
            number++;
            first = continuing ? first : number;
            continuing = line.EndsWith('\\') && !line.TrimStart().StartsWith('#');
            if (continuing)
            {
                pending += line[..^1];
                continue;
            }

            yield return (first, pending + line);
            pending = "";
        }

        if (continuing)
        {
            yield return (first, pending);
        }
    }

    /// <summary>As pip does: a comment starts at '#' at the line's start or after white space.</summary>
    private static string StripComment(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    /// <summary>
    /// A requirement line pip reads as exactly this requirement (PEP 508, see <see cref="PipLine"/>), or PYC1013
    /// naming <paramref name="source"/> (a file and line, or the items).
    /// </summary>
    internal static string Validate(string requirement, string source)
    {
        if (requirement.Length == 0)
        {
            throw Errors.Create(Errors.InvalidRequirement, requirement, source, "it is empty");
        }

        // pip splits lines with str.splitlines, which also breaks at U+2028 and U+2029.
        if (requirement.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'))
        {
            throw Errors.Create(Errors.InvalidRequirement, requirement, source, "it holds a line break or another control character");
        }

        if (requirement.StartsWith('-'))
        {
            throw Errors.Create(Errors.InvalidRequirement, requirement, source, "pip options are not requirements; use the PythonPackageIndexUrl property for package sources");
        }

        // pip joins a line that ends in '\' with the next one: another requirement would become part of this one.
        if (requirement.EndsWith('\\'))
        {
            throw Errors.Create(Errors.InvalidRequirement, requirement, source, "a line ending in '\\' continues onto the next line");
        }

        try
        {
            PipLine.Check(requirement);
        }
        catch (RequirementSyntaxException e)
        {
            throw Errors.Create(Errors.InvalidRequirement, requirement, source, e.Message);
        }

        return requirement;
    }
}
