using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>Turns ContainerStartupStep items into <see cref="StartupStep"/> records, or fails with PYC1031.</summary>
public static partial class StartupStepResolver
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("%([0-9A-Fa-f]{2})", RegexOptions.CultureInvariant)]
    private static partial Regex EscapePattern();

    /// <summary>
    /// Splits a Command metadata value as MSBuild wrote it (escaped form): ';' separates arguments, '%3B' is a
    /// literal ';' (and every other %XX its character), surrounding white space is trimmed and empty entries are
    /// dropped, as MSBuild does for item lists.
    /// </summary>
    public static List<string> SplitCommand(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        return escaped.Split(';')
            .Select(part => EscapePattern().Replace(part, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString()).Trim())
            .Where(part => part.Length > 0)
            .ToList();
    }

    /// <summary>Validates ContainerStartupStep items in order; PYC1031 names the step and what to fix.</summary>
    public static List<StartupStep> Resolve(IList<StartupStepSetting> items, IEnumerable<string> reservedNames)
    {
        var names = new HashSet<string>(reservedNames, StringComparer.Ordinal);
        var steps = new List<StartupStep>();
        foreach (StartupStepSetting item in items)
        {
            string name = item.Name.Trim();
            if (!NamePattern().IsMatch(name))
            {
                throw Invalid(item.Name, "the name (Include) uses letters, digits and '._-' (at most 64), e.g. 'init-db'");
            }

            if (!names.Add(name))
            {
                throw Invalid(name, "another step has that name (Django apps have 'migrate' and 'loaddata'); give each step its own");
            }

            if (item.Arguments.Count == 0)
            {
                throw Invalid(name, "its Command metadata is empty; set the command and its arguments separated by ';'");
            }

            if (item.Arguments.FirstOrDefault(a => a.Any(char.IsControl)) is { } bad)
            {
                throw Invalid(name, $"the argument '{Printable(bad)}' holds a line break, tab or another control character");
            }

            steps.Add(new StartupStep(name, item.Arguments.ToList()));
        }

        return steps;
    }

    private static string Printable(string value)
    {
        var text = new StringBuilder();
        foreach (char c in value)
        {
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return text.ToString();
    }

    private static PyContainerException Invalid(string name, string reason) => Errors.Create(Errors.InvalidStartupStep, name, reason);
}

/// <summary>A ContainerStartupStep item as the project states it, its Command already split (<see cref="StartupStepResolver.SplitCommand"/>).</summary>
public sealed partial record StartupStepSetting(string Name, IList<string> Arguments);
