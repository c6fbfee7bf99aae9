using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>The checks of single values that go into the Dockerfile: each returns the value to use or fails with its code.</summary>
internal static class SettingValidation
{
    // \z, not $: '$' also matches before a final '\n', and names and package names are not trimmed.
    private static readonly Regex EnvironmentNamePattern = new(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant);

    private static readonly Regex UserPattern = new(@"^[A-Za-z0-9][A-Za-z0-9._-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)?\z", RegexOptions.CultureInvariant);

    private static readonly Regex AbsolutePathPattern = new(@"^/[A-Za-z0-9/._-]*\z", RegexOptions.CultureInvariant);

    private static readonly Regex OsPackagePattern = new(@"^[a-z0-9][a-z0-9.+:=~-]*\z", RegexOptions.CultureInvariant);

    private static readonly Regex HealthCheckPathPattern = new(@"^/[A-Za-z0-9/._~-]*\z", RegexOptions.CultureInvariant);

    private static readonly Regex LabelNamePattern = new(@"^[a-z0-9.-]+\z", RegexOptions.CultureInvariant);

    internal static string? HealthCheckPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        string value = path.Trim();
        return HealthCheckPathPattern.IsMatch(value)
            ? value
            : throw Errors.Create(Errors.InvalidPropertyValue, "ContainerHealthCheckPath", value, "use an absolute URL path of letters, digits and '/._~-', e.g. '/healthz'");
    }
    internal static NamedValue EnvironmentVariable(NamedValue variable) =>
        NamedValue(variable, EnvironmentNamePattern, Errors.InvalidEnvironmentVariable, "names use letters, digits and '_' and do not start with a digit");
    internal static NamedValue Label(NamedValue label) =>
        NamedValue(label, LabelNamePattern, Errors.InvalidLabel, "label keys use lower-case letters, digits, '.' and '-' (e.g. 'com.example.team')");
    /// <summary>A name that fits <paramref name="namePattern"/> and a value without line breaks: the quoting in the Dockerfile does the rest.</summary>
    private static NamedValue NamedValue(NamedValue item, Regex namePattern, string code, string nameRule)
    {
        if (!namePattern.IsMatch(item.Name))
        {
            throw Errors.Create(code, item.Name, nameRule);
        }

        if (item.Value.Any(char.IsControl))
        {
            throw Errors.Create(code, item.Name, "the Value holds a line break or another control character");
        }

        return item;
    }
    internal static string User(string user)
    {
        string value = user.Trim();
        return UserPattern.IsMatch(value) ? value : throw Errors.Create(Errors.InvalidUser, value);
    }
    internal static string WorkingDirectory(string directory)
    {
        string value = directory.Trim().TrimEnd('/');
        return AbsolutePathPattern.IsMatch(value) && value.Length > 1 && !value.Contains("..", StringComparison.Ordinal)
            ? value
            : throw Errors.Create(Errors.InvalidWorkingDirectory, directory);
    }
    internal static List<string> Packages(IList<string> packages, string itemType)
    {
        foreach (string package in packages)
        {
            if (!OsPackagePattern.IsMatch(package))
            {
                throw Errors.Create(Errors.InvalidOsPackage, itemType, package);
            }
        }

        return packages.Distinct(StringComparer.Ordinal).ToList();
    }
    internal static string? Url(string? url, string property)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        string value = url.Trim();
        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" && !value.Any(char.IsControl) && !value.Contains(' ', StringComparison.Ordinal)
            ? value
            : throw Errors.Create(Errors.InvalidIndexUrl, property, value);
    }
}
