using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using PyContainer.Diagnostics;

namespace PyContainer.Python.Requirements;

/// <summary>An inline PythonRequirement item: its text, and the project file that defines it (DefiningProjectFullPath).</summary>
public sealed record InlineRequirement(string Text, string? DefiningFile);

/// <summary>
/// MSBuild splits an item's Include at every ';', so <c>&lt;PythonRequirement Include="gunicorn; rm -rf /"/&gt;</c>
/// arrives as two items, 'gunicorn' and 'rm -rf /' (and pip would look up a package named 'rm'). This finds such
/// splits, in the defining project file when it can be read, else from the parts themselves, and fails with
/// PYC1013 showing the Include with its ';' written as %3B.
/// </summary>
public static partial class SplitRequirementCheck
{
    [GeneratedRegex("%([0-9A-Fa-f]{2})", RegexOptions.CultureInvariant)]
    private static partial Regex MsBuildEscape();

    public static void Check(IReadOnlyList<InlineRequirement> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var includesByFile = new Dictionary<string, ProjectIncludes>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            InlineRequirement item = items[i];
            string text = item.Text.Trim();
            ProjectIncludes? includes = IncludesOf(item.DefiningFile, includesByFile);
            if (includes?.Splittable.FirstOrDefault(include => Parts(include).Contains(text, StringComparer.Ordinal)) is { } include)
            {
                string[] parts = Parts(include);
                if (parts.Skip(1).Any(LooksLikeTheRestOfARequirement))
                {
                    throw Split(include, item.DefiningFile!, parts);
                }

                continue;
            }

            // An Include built from a property, or a file that cannot be read: judge the part after its neighbour.
            if ((includes is null || includes.HasComputed) && i > 0 && LooksLikeTheRestOfARequirement(text) && !PipLine.IsValid(text))
            {
                string joined = items[i - 1].Text.Trim() + "; " + text;
                throw Split(joined, "the PythonRequirement items", [items[i - 1].Text.Trim(), text]);
            }
        }
    }

    /// <summary>A part that continues a requirement: a marker, or anything that is not a requirement on its own.</summary>
    private static bool LooksLikeTheRestOfARequirement(string part) =>
        !PipLine.IsValid(part) || Pep508Parser.IsMarker(part) || StartsWithMarkerVariable(part);

    private static bool StartsWithMarkerVariable(string part)
    {
        int end = 0;
        while (end < part.Length && (char.IsLetterOrDigit(part[end]) || part[end] is '_' or '.'))
        {
            end++;
        }

        return MarkerVariables.IsKnown(part[..end]);
    }

    private static PyContainerException Split(string include, string where, string[] parts) =>
        Errors.Create(
            Errors.InvalidRequirement,
            include,
            where == "the PythonRequirement items" ? where : $"a PythonRequirement item in {where}",
            $"MSBuild splits an Include at every ';', so this became {parts.Length} requirements ({string.Join(", ", parts.Select(p => $"'{p}'"))}). "
            + $"Write the ';' that starts an environment marker as %3B: Include=\"{EscapeSemicolons(include)}\" (and give each requirement an item of its own)"
            + NotAMarker(parts));

    /// <summary>When the part after ';' is no marker either, say so: escaping alone would not make the line valid.</summary>
    private static string NotAMarker(string[] parts)
    {
        string? bad = parts.Skip(1).FirstOrDefault(p => !Pep508Parser.IsMarker(p) && !PipLine.IsValid(p));
        if (bad is null)
        {
            return "";
        }

        try
        {
            Pep508Parser.ParseMarker(bad);
            return "";
        }
        catch (RequirementSyntaxException e)
        {
            return $"; but '{bad}' is no environment marker either: {e.Message}";
        }
    }

    private static string EscapeSemicolons(string include)
    {
        string[] parts = include.Split(';');
        return string.Join("%3B", parts.Select((p, i) => i == 0 ? p.TrimEnd() : " " + p.Trim()));
    }

    private static string[] Parts(string include) =>
        include.Split(';').Select(p => Unescape(p).Trim()).Where(p => p.Length > 0).ToArray();

    /// <summary>The literal Includes with a ';' of the file's PythonRequirement elements, and whether any Include is computed.</summary>
    private sealed record ProjectIncludes(List<string> Splittable, bool HasComputed);

    private static ProjectIncludes? IncludesOf(string? file, Dictionary<string, ProjectIncludes> cache)
    {
        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        if (!cache.TryGetValue(file!, out ProjectIncludes? includes))
        {
            includes = Read(file!);
            if (includes is null)
            {
                return null;
            }

            cache[file!] = includes;
        }

        return includes;
    }

    private static ProjectIncludes? Read(string file)
    {
        try
        {
            List<string> all = XDocument.Load(file).Descendants()
                .Where(e => e.Name.LocalName == "PythonRequirement")
                .Select(e => (string?)e.Attribute("Include"))
                .OfType<string>()
                .ToList();
            static bool Computed(string include) => include.Contains("$(") || include.Contains("@(") || include.Contains("%(");
            return new ProjectIncludes(all.Where(i => i.Contains(';') && !Computed(i)).ToList(), all.Any(Computed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
        {
            return null; // Not readable as XML: the neighbour rule in Check applies.
        }
    }

    private static string Unescape(string value) =>
        MsBuildEscape().Replace(value, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
}
