using System.Text.RegularExpressions;

namespace PyContainer.Python.Requirements;

/// <summary>
/// PEP 440 version specifiers, as strict as current pip (packaging 22+ dropped "legacy" versions): each operator
/// takes the version forms PEP 440 allows it, e.g. '==1.0.*' but not '>=1.0.*', '~=1.4' but not '~=1'.
/// </summary>
internal static partial class Pep440
{
    private const string Epoch = @"(?:[0-9]+!)?";
    private const string Release = @"[0-9]+(?:\.[0-9]+)*";
    private const string Pre = @"(?:[-_.]?(?:alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*)?";
    private const string Post = @"(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?";
    private const string Dev = @"(?:[-_.]?dev[-_.]?[0-9]*)?";
    private const string Local = @"(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?";

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    // \z, not $: '$' would also match before a final line break.
    [GeneratedRegex($@"^v?{Epoch}{Release}(?:\.\*|{Pre}{Post}{Dev}{Local})\z", Options)]
    private static partial Regex Matching();
    [GeneratedRegex($@"^v?{Epoch}[0-9]+(?:\.[0-9]+)+{Pre}{Post}{Dev}\z", Options)]
    private static partial Regex Compatible();
    [GeneratedRegex($@"^v?{Epoch}{Release}{Pre}{Post}{Dev}\z", Options)]
    private static partial Regex Ordered();

    /// <summary>True when <paramref name="version"/> may follow <paramref name="op"/>; else <paramref name="why"/> says what would.</summary>
    public static bool IsValidFor(string op, string version, out string why)
    {
        why = "";
        if (version.Length == 0)
        {
            why = "a version must follow the operator";
            return false;
        }

        switch (op)
        {
            case "===":
                // Arbitrary equality compares strings: anything up to white space, ',', ';' or ')'.
                return true;
            case "==" or "!=":
                why = "use a PEP 440 version such as '2.2', '2.2.*', '2.2rc1', '2.2.post1' or '2.2+local'";
                return Matching().IsMatch(version);
            case "~=":
                why = "'~=' needs a version of at least two parts without '.*' or '+local', such as '~=2.2'";
                return Compatible().IsMatch(version);
            default:
                why = $"'{op}' takes a PEP 440 version without '.*' or '+local', such as '{op}2.2'";
                return Ordered().IsMatch(version);
        }
    }
}
