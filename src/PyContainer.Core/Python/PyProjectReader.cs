using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Python;

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

    /// <summary>
    /// What pyproject.toml tells before a build: the static dependencies and `[build-system].requires` (the build
    /// backend and what it needs), each as validated requirement lines or null when not known.
    /// </summary>
    public static (List<string>? Dependencies, List<string>? BuildRequirements) Read(IReadOnlyList<AppFile> files)
    {
        AppFile? pyproject = files.FirstOrDefault(f => f.AppPath == FileName);
        if (pyproject is null)
        {
            return (null, null);
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

        TomlDocument? document = TomlDocument.Parse(text);
        List<string>? Validated(List<string>? lines, string key) =>
            lines?.Select(line => RequirementsReader.Validate(line.Trim(), $"{pyproject.SourcePath} ({key})")).ToList();
        return (Validated(StaticDependencies(document), "[project].dependencies"), Validated(BuildRequirements(document), "[build-system].requires"));
    }

    /// <summary>The strings of `[build-system].requires`, else null (no such key, or TOML this reader does not understand).</summary>
    internal static List<string>? BuildRequirements(string toml) => BuildRequirements(TomlDocument.Parse(toml));

    /// <summary>The strings of `[project].dependencies` when they are static, else null (see the class).</summary>
    internal static List<string>? StaticDependencies(string toml) => StaticDependencies(TomlDocument.Parse(toml));

    private static List<string>? BuildRequirements(TomlDocument? document) =>
        document is not null && document.Values.TryGetValue("build-system.requires", out object? requires) ? Strings(requires) : null;

    private static List<string>? StaticDependencies(TomlDocument? document)
    {
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
