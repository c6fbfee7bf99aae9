using PyContainer.Diagnostics;

namespace PyContainer.Model;

/// <summary>
/// Reads a Python project's dependencies from its pyproject.toml when they are static: `[project].dependencies`,
/// not named in `[project].dynamic` (PEP 621: a build backend must then report exactly those). The builder can
/// then build them before it sees the project's sources. Anything else answers null, "only building the project
/// tells": no pyproject.toml (setup.py), no `[project]` table, dynamic dependencies, Poetry 1's own table, or
/// TOML this reader does not understand; the Dockerfile then lets pip read the project as before.
/// </summary>
internal static class PyProjectReader
{
    public const string FileName = "pyproject.toml";

    /// <summary>The project's static dependencies as requirement lines, or null when they are not known before a build.</summary>
    public static List<string>? StaticDependencies(IReadOnlyList<AppFile> files)
    {
        AppFile? pyproject = files.FirstOrDefault(f => f.AppPath == FileName);
        if (pyproject is null)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(pyproject.SourcePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Create(Errors.InputFileUnreadable, e, "PythonContent", pyproject.SourcePath, e.Message);
        }

        string source = pyproject.SourcePath + " ([project].dependencies)";
        return StaticDependencies(text)?.Select(d => RequirementsReader.Validate(d.Trim(), source)).ToList();
    }

    /// <summary>The strings of `[project].dependencies` when they are static, else null (see the class).</summary>
    internal static List<string>? StaticDependencies(string toml)
    {
        TomlDocument? document = TomlDocument.Parse(toml);
        if (document is null || !document.Tables.Contains("project") || document.Tables.Contains("tool.poetry.dependencies"))
        {
            return null;
        }

        List<string>? dynamic = document.Values.TryGetValue("project.dynamic", out object? d) ? Strings(d) : [];
        if (dynamic is null || dynamic.Contains("dependencies"))
        {
            return null;
        }

        return document.Values.TryGetValue("project.dependencies", out object? dependencies) ? Strings(dependencies) : [];
    }

    private static List<string>? Strings(object value) =>
        value is List<object> array && array.All(v => v is string) ? array.Cast<string>().ToList() : null;
}
