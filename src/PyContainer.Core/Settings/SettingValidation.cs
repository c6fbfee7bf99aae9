using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>
/// The checks of single values that go into the Dockerfile: each returns the value to use or fails with its code.
/// Each pattern stands beside its check; they end in \z, not $: '$' also matches before a final '\n', and names
/// and package names are not trimmed.
/// </summary>
internal static partial class SettingValidation
{
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\(\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex AppPattern();

    /// <summary>A WSGI or ASGI app, <c>module:callable</c> or a factory <c>module:create_app()</c>.</summary>
    internal static string App(string value, string property) =>
        Matching(value, AppPattern(), property, "use 'module:callable', e.g. 'app:app' or 'mypkg.wsgi:application'");

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ModulePattern();

    internal static string Module(string value, string property) =>
        Matching(value, ModulePattern(), property, "use a dotted module name, e.g. 'mypkg' or 'mysite.settings'");

    /// <summary>The trimmed value when it fits <paramref name="pattern"/>, else PYC1015 naming the property and the rule.</summary>
    private static string Matching(string value, Regex pattern, string property, string rule)
    {
        string trimmed = value.Trim();
        return pattern.IsMatch(trimmed) ? trimmed : throw Errors.Create(Errors.InvalidPropertyValue, property, trimmed, rule);
    }

    [GeneratedRegex(@"^/[A-Za-z0-9/._~-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex HealthCheckPathPattern();

    internal static string? HealthCheckPath(string? path) => string.IsNullOrWhiteSpace(path)
        ? null
        : Matching(path, HealthCheckPathPattern(), "ContainerHealthCheckPath", "use an absolute URL path of letters, digits and '/._~-', e.g. '/healthz'");

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentNamePattern();

    internal static NamedValue EnvironmentVariable(NamedValue variable) =>
        NamedValue(variable, EnvironmentNamePattern(), Errors.InvalidEnvironmentVariable, "names use letters, digits and '_' and do not start with a digit");

    [GeneratedRegex(@"^[a-z0-9.-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelNamePattern();

    internal static NamedValue Label(NamedValue label) =>
        NamedValue(label, LabelNamePattern(), Errors.InvalidLabel, "label keys use lower-case letters, digits, '.' and '-' (e.g. 'com.example.team')");

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

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex UserPattern();

    internal static string User(string user)
    {
        string value = user.Trim();
        return UserPattern().IsMatch(value) ? value : throw Errors.Create(Errors.InvalidUser, value);
    }

    [GeneratedRegex(@"^/[A-Za-z0-9/._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePathPattern();

    internal static string WorkingDirectory(string directory)
    {
        string value = directory.Trim().TrimEnd('/');
        return AbsolutePathPattern().IsMatch(value) && value.Length > 1 && !value.Contains("..", StringComparison.Ordinal)
            ? value
            : throw Errors.Create(Errors.InvalidWorkingDirectory, directory);
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.+:=~-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex OsPackagePattern();

    internal static List<string> Packages(IList<string> packages, string itemType)
    {
        foreach (string package in packages)
        {
            if (!OsPackagePattern().IsMatch(package))
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
