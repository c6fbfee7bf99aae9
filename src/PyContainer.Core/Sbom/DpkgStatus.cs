namespace PyContainer.Sbom;

/// <summary>dpkg's status database (var/lib/dpkg/status): the installed packages' versions and architectures.</summary>
internal static class DpkgStatus
{
    /// <summary>The installed packages, by "name" and "name:arch" (how their info/*.list files are named).</summary>
    public static IReadOnlyDictionary<string, OsPackage> Parse(string text)
    {
        var packages = new Dictionary<string, OsPackage>(StringComparer.Ordinal);
        foreach (string stanza in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n"))
        {
            var fields = stanza.Split('\n')
                .Where(l => l.Length > 0 && l[0] is not (' ' or '\t') && l.Contains(':', StringComparison.Ordinal))
                .Select(l => (Name: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
                .GroupBy(f => f.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
            if (!fields.TryGetValue("Package", out string? name) || !fields.TryGetValue("Version", out string? version)
                || !(fields.GetValueOrDefault("Status")?.EndsWith(" installed", StringComparison.Ordinal) ?? false))
            {
                continue;
            }

            string? architecture = fields.GetValueOrDefault("Architecture");
            var package = new OsPackage(name, version, architecture);
            packages.TryAdd(name, package);
            if (architecture is not null)
            {
                packages[name + ":" + architecture] = package;
            }
        }

        return packages;
    }
}
