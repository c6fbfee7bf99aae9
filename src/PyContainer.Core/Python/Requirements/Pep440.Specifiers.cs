namespace PyContainer.Python.Requirements;

/// <summary>Whether a version satisfies one specifier, as packaging's Specifier.contains(prereleases=True) decides.</summary>
internal static partial class Pep440
{
    /// <summary>
    /// True when <paramref name="candidate"/> satisfies <c>op specifier</c>; null when the specifier or the candidate
    /// is not a PEP 440 version (a marker then compares them as strings).
    /// </summary>
    public static bool? Satisfies(string candidate, string op, string specifier)
    {
        specifier = specifier.Trim();
        if (op == "===")
        {
            return string.Equals(candidate.Trim(), specifier, StringComparison.OrdinalIgnoreCase);
        }

        if (!IsValidFor(op, specifier, out _) || !Pep440Version.TryParse(candidate, out Pep440Version c))
        {
            return null;
        }

        bool wildcard = specifier.EndsWith(".*", StringComparison.Ordinal);
        Pep440Version s = Pep440Version.Parse(wildcard ? specifier[..^2] : specifier);
        return op switch
        {
            "==" => wildcard ? PrefixMatch(c, s) : (s.Local is null ? c.Public : c).Equals(s),
            "!=" => !(wildcard ? PrefixMatch(c, s) : (s.Local is null ? c.Public : c).Equals(s)),
            "<=" => c.Public.CompareTo(s) <= 0,
            ">=" => c.Public.CompareTo(s) >= 0,
            // '<1.0' excludes 1.0's pre-releases unless the specifier is one; '>1.0' excludes 1.0's post-releases.
            "<" => c.CompareTo(s) < 0 && (s.IsPreRelease || !c.IsPreRelease || !c.BaseVersion.Equals(s.BaseVersion)),
            ">" => c.CompareTo(s) > 0 && (s.IsPostRelease || !c.IsPostRelease || !c.BaseVersion.Equals(s.BaseVersion))
                && !(c.Local is not null && c.BaseVersion.Equals(s.BaseVersion)),
            "~=" => c.Public.CompareTo(s) >= 0 && PrefixMatch(c, Pep440Version.Parse(string.Join('.', s.Release.Take(s.Release.Count - 1)))),
            _ => null,
        };
    }

    /// <summary>'==1.2.*': the same epoch and the release starts with 1.2 (missing parts count as 0).</summary>
    private static bool PrefixMatch(Pep440Version candidate, Pep440Version prefix) =>
        candidate.Epoch == prefix.Epoch
        && prefix.Release.Select((part, i) => part == (i < candidate.Release.Count ? candidate.Release[i] : 0)).All(same => same);
}
