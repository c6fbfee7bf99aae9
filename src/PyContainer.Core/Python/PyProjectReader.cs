using PyContainer.Diagnostics;
using PyContainer.Model;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;

namespace PyContainer.Python;

/// <summary>
/// Reads a Python project's dependencies from its pyproject.toml when they are static: `[project].dependencies`,
/// not named in `[project].dynamic` (PEP 621: a build backend must then report exactly those). The builder can
/// then build them before it sees the project's sources. Anything else answers null, "only building the project
/// tells": no pyproject.toml (setup.py), no `[project]` table, dynamic dependencies, Poetry 1's own table, or
/// a file that is not valid TOML (Tomlyn says); the Dockerfile then lets pip read the project as before.
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

        TomlTable? document = Parse(text);
        List<string>? Validated(List<string>? lines, string key) =>
            lines?.Select(line => RequirementsReader.Validate(line.Trim(), $"{pyproject.SourcePath} ({key})")).ToList();
        return (Validated(StaticDependencies(document), "[project].dependencies"), Validated(BuildRequirements(document), "[build-system].requires"));
    }

    /// <summary>The strings of `[build-system].requires`, else null (no such key, or not valid TOML).</summary>
    internal static List<string>? BuildRequirements(string toml) => BuildRequirements(Parse(toml));

    /// <summary>The strings of `[project].dependencies` when they are static, else null (see the class).</summary>
    internal static List<string>? StaticDependencies(string toml) => StaticDependencies(Parse(toml));

    /// <summary>`[project].requires-python` when it is a string, else null (no such key, or not valid TOML).</summary>
    internal static string? RequiresPython(string toml) => At(Parse(toml), "project", "requires-python") as string;

    /// <summary>The document's tables and values, or null when it is not valid TOML (a duplicate key included).</summary>
    private static TomlTable? Parse(string toml)
    {
        try
        {
            // The model keeps the last of two equal keys: the syntax tree's validation rejects them, as TOML does.
            SyntaxParser.ParseStrict(toml, validate: true);
            return TomlSerializer.Deserialize<TomlTable>(toml);
        }
        catch (TomlException)
        {
            return null;
        }
    }

    private static List<string>? BuildRequirements(TomlTable? document) =>
        At(document, "build-system", "requires") is { } requires ? Strings(requires) : null;

    private static List<string>? StaticDependencies(TomlTable? document)
    {
        if (At(document, "project") is not TomlTable project || At(document, "tool", "poetry", "dependencies") is TomlTable)
        {
            return null;
        }

        List<string>? dynamic = project.TryGetValue("dynamic", out object? d) ? Strings(d) : [];
        if (dynamic is null || dynamic.Contains("dependencies"))
        {
            return null;
        }

        return project.TryGetValue("dependencies", out object? dependencies) ? Strings(dependencies) : [];
    }

    /// <summary>The value at a path of keys through nested tables (dotted keys and inline tables are tables too).</summary>
    private static object? At(TomlTable? table, params string[] keys)
    {
        object? value = table;
        foreach (string key in keys)
        {
            if (value is not TomlTable current || !current.TryGetValue(key, out value))
            {
                return null;
            }
        }

        return value;
    }

    private static List<string>? Strings(object? value) =>
        value is TomlArray array && array.All(v => v is string) ? array.Cast<string>().ToList() : null;
}
