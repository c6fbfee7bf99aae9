using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Python;

/// <summary>
/// The Python version of the default images, in the order Python tools use: the PythonVersion property,
/// then a .python-version file, then requires-python in pyproject.toml, then the default.
/// </summary>
internal static partial class PythonVersionDetector
{
    [GeneratedRegex(@"^3\.[0-9]{1,2}(\.[0-9]{1,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"(==|~=|>=|>)\s*(3\.[0-9]{1,2})", RegexOptions.CultureInvariant)]
    private static partial Regex VersionClause();

    public static string Detect(string? property, string projectDirectory)
    {
        if (!string.IsNullOrWhiteSpace(property))
        {
            string value = property.Trim();
            return VersionPattern().IsMatch(value) ? value : throw Errors.Create(Errors.InvalidPythonVersion, value, "the PythonVersion property");
        }

        string versionFile = Path.Combine(projectDirectory, ".python-version");
        if (File.Exists(versionFile) && File.ReadLines(versionFile).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#')) is { } line)
        {
            return VersionPattern().IsMatch(line) ? line : throw Errors.Create(Errors.InvalidPythonVersion, line, versionFile);
        }

        string pyproject = Path.Combine(projectDirectory, "pyproject.toml");
        if (File.Exists(pyproject)
            && PyProjectReader.RequiresPython(File.ReadAllText(pyproject)) is { } requires)
        {
            return FromSpecifier(requires);
        }

        return PythonApp.DefaultPythonVersion;
    }

    /// <summary>"==3.11.*" or "~=3.11" pins 3.11; ">=3.13" raises the default to 3.13; otherwise the default.</summary>
    private static string FromSpecifier(string specifier)
    {
        Version chosen = Version.Parse(PythonApp.DefaultPythonVersion);
        foreach (Match clause in VersionClause().Matches(specifier))
        {
            var version = Version.Parse(clause.Groups[2].Value);
            if (clause.Groups[1].Value is "==" or "~=" || version > chosen)
            {
                chosen = version;
            }
        }

        return $"{chosen.Major}.{chosen.Minor}";
    }
}
