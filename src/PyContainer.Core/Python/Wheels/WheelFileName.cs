using System.Text.RegularExpressions;

namespace PyContainer.Python.Wheels;

/// <summary>
/// A wheel's file name split as the binary distribution format names it:
/// <c>{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl</c>, each tag possibly a
/// '.'-joined set ("py2.py3-none-any" is two tags).
/// </summary>
internal sealed partial record WheelFileName(string Name, string Version, string? Build, IReadOnlyList<string> Tags)
{
    [GeneratedRegex(@"[-_.]+", RegexOptions.CultureInvariant)]
    private static partial Regex Separators();

    public static WheelFileName? TryParse(string fileName)
    {
        if (!fileName.EndsWith(".whl", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string[] parts = fileName[..^4].Split('-');
        if (parts.Length is not (5 or 6) || parts.Any(p => p.Length == 0))
        {
            return null;
        }

        int n = parts.Length;
        var tags = (from py in parts[n - 3].Split('.')
                    from abi in parts[n - 2].Split('.')
                    from platform in parts[n - 1].Split('.')
                    select $"{py}-{abi}-{platform}".ToLowerInvariant()).ToList();
        return new WheelFileName(parts[0], parts[1], n == 6 ? parts[2] : null, tags);
    }

    /// <summary>PEP 503 normalization: "Zope.Interface" and "zope_interface" are both "zope-interface".</summary>
    public static string Normalize(string name) => Separators().Replace(name.Trim(), "-").ToLowerInvariant();

    /// <summary>Whether the file is for <paramref name="name"/> (any spelling) at <paramref name="version"/> (any PEP 440 spelling).</summary>
    public bool Is(string name, string version) =>
        Normalize(Name) == Normalize(name)
        && (string.Equals(Version, version, StringComparison.OrdinalIgnoreCase)
            || (Requirements.Pep440Version.TryParse(Version, out var a) && Requirements.Pep440Version.TryParse(version, out var b) && a.Equals(b)));

    /// <summary>The position in <paramref name="tags"/> of this wheel's best tag, or null when it has none of them.</summary>
    public int? Rank(IReadOnlyList<string> tags)
    {
        int best = int.MaxValue;
        foreach (string tag in Tags)
        {
            int i = IndexOf(tags, tag);
            best = i >= 0 && i < best ? i : best;
        }

        return best == int.MaxValue ? null : best;
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        return -1;
    }
}
