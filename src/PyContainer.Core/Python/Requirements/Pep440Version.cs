using System.Globalization;
using System.Text.RegularExpressions;

namespace PyContainer.Python.Requirements;

/// <summary>
/// A parsed PEP 440 version ordered as `packaging.version.Version` orders them, so a lock's pins and the markers
/// evaluated for the target image compare versions as pip would (1.0.dev0 &lt; 1.0a1 &lt; 1.0 &lt; 1.0.post1).
/// </summary>
internal sealed partial class Pep440Version : IComparable<Pep440Version>, IEquatable<Pep440Version>
{
    [GeneratedRegex(@"^\s*v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)"
        + @"(?:[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?"
        + @"(?:-(?<post_n1>[0-9]+)|[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?)?"
        + @"(?:[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?"
        + @"(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    private Pep440Version() { }

    public long Epoch { get; private init; }
    public IReadOnlyList<long> Release { get; private init; } = [];
    /// <summary>"a", "b" or "rc" with its number, or null.</summary>
    public (string Kind, long Number)? Pre { get; private init; }
    public long? Post { get; private init; }
    public long? Dev { get; private init; }
    public string? Local { get; private init; }

    public bool IsPreRelease => Pre is not null || Dev is not null;
    public bool IsPostRelease => Post is not null;

    public static bool TryParse(string text, out Pep440Version version)
    {
        version = new Pep440Version();
        Match m = Pattern().Match(text ?? "");
        if (!m.Success)
        {
            return false;
        }

        string preLabel = m.Groups["pre_l"].Value.ToLowerInvariant();
        version = new Pep440Version
        {
            Epoch = m.Groups["epoch"].Success ? Number(m.Groups["epoch"].Value) : 0,
            Release = m.Groups["release"].Value.Split('.').Select(Number).ToArray(),
            Pre = m.Groups["pre_l"].Success
                ? (preLabel switch { "alpha" => "a", "beta" => "b", "c" or "pre" or "preview" => "rc", _ => preLabel },
                    m.Groups["pre_n"].Success ? Number(m.Groups["pre_n"].Value) : 0)
                : null,
            Post = m.Groups["post_n1"].Success ? Number(m.Groups["post_n1"].Value)
                : m.Groups["post_l"].Success ? (m.Groups["post_n2"].Success ? Number(m.Groups["post_n2"].Value) : 0)
                : null,
            Dev = m.Groups["dev_l"].Success ? (m.Groups["dev_n"].Success ? Number(m.Groups["dev_n"].Value) : 0) : null,
            Local = m.Groups["local"].Success ? m.Groups["local"].Value.ToLowerInvariant().Replace('-', '.').Replace('_', '.') : null,
        };
        return true;
    }

    public static Pep440Version Parse(string text) =>
        TryParse(text, out Pep440Version v) ? v : throw new FormatException($"'{text}' is not a PEP 440 version.");

    /// <summary>This version without its local part ("1.0+abc" → "1.0").</summary>
    public Pep440Version Public => Local is null ? this : new Pep440Version { Epoch = Epoch, Release = Release, Pre = Pre, Post = Post, Dev = Dev };

    /// <summary>Only epoch and release ("1.0rc1.post2" → "1.0").</summary>
    public Pep440Version BaseVersion => new() { Epoch = Epoch, Release = Release };

    public int CompareTo(Pep440Version? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = Epoch.CompareTo(other.Epoch);
        if (c != 0)
        {
            return c;
        }

        // Trailing zeros do not count: 1.0 == 1.0.0.
        int length = Math.Max(Release.Count, other.Release.Count);
        for (int i = 0; i < length && c == 0; i++)
        {
            c = At(Release, i).CompareTo(At(other.Release, i));
        }

        if (c == 0) c = PreKey().CompareTo(other.PreKey());
        if (c == 0) c = (Post ?? -1).CompareTo(other.Post ?? -1);
        if (c == 0) c = (Dev ?? long.MaxValue).CompareTo(other.Dev ?? long.MaxValue);
        return c != 0 ? c : CompareLocal(Local, other.Local);
    }

    public bool Equals(Pep440Version? other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Pep440Version v && Equals(v);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>The normalized form ("1.0-RC1" → "1.0rc1").</summary>
    public override string ToString()
    {
        string text = (Epoch != 0 ? $"{Epoch}!" : "") + string.Join('.', Release);
        text += Pre is { } pre ? $"{pre.Kind}{pre.Number}" : "";
        text += Post is { } post ? $".post{post}" : "";
        text += Dev is { } dev ? $".dev{dev}" : "";
        return text + (Local is null ? "" : $"+{Local}");
    }

    // packaging: a dev release with no pre or post sorts before every pre-release of its release.
    private (int, long) PreKey() => Pre switch
    {
        null when Post is null && Dev is not null => (-1, 0),
        null => (3, 0),
        { Kind: "a" } p => (0, p.Number),
        { Kind: "b" } p => (1, p.Number),
        { } p => (2, p.Number),
    };

    private static int CompareLocal(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        }

        string[] x = a.Split('.'), y = b.Split('.');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            bool xNum = long.TryParse(x[i], NumberStyles.None, CultureInfo.InvariantCulture, out long xn);
            bool yNum = long.TryParse(y[i], NumberStyles.None, CultureInfo.InvariantCulture, out long yn);
            // Numeric segments sort after alphanumeric ones.
            int c = xNum && yNum ? xn.CompareTo(yn) : xNum != yNum ? (xNum ? 1 : -1) : string.CompareOrdinal(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    private static long At(IReadOnlyList<long> parts, int i) => i < parts.Count ? parts[i] : 0;

    private static long Number(string digits) => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
