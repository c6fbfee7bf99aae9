using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;

namespace PyContainer.Python.Lock;

/// <summary>
/// PEP 751 (pylock.toml): lock-version 1.x, an optional list of environments the lock is for, and [[packages]]
/// with name, version, marker, index and [[packages.wheels]] (name, url or path, hashes.sha256). A package the
/// target's markers leave out is skipped; one kept must be a pinned version whose wheels carry sha256 hashes
/// (an entry with only an sdist keeps the sdist's hash, so resolution can say that no wheel exists).
/// </summary>
internal static class PylockReader
{
    public static List<LockedPackage> Read(string text, LockContext context)
    {
        TomlTable document;
        try
        {
            SyntaxParser.ParseStrict(text, validate: true);
            document = TomlSerializer.Deserialize<TomlTable>(text) ?? [];
        }
        catch (TomlException e)
        {
            // Tomlyn's lines are 1-based; its message starts with "(line,column) : error : ".
            string why = string.Join(" ", e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(m => m.Contains(": error : ", StringComparison.Ordinal) ? m[(m.IndexOf(": error : ", StringComparison.Ordinal) + 10)..] : m));
            throw context.Unreadable(e.Line is { } line ? line : 0, $"it is not valid TOML: {why}");
        }

        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string version = document.TryGetValue("lock-version", out object? v) ? v as string ?? "" : "";
        if (!version.StartsWith("1.", StringComparison.Ordinal) && version != "1")
        {
            throw context.Unreadable(LineOf(lines, "lock-version", 0),
                version.Length == 0 ? "it has no lock-version: a PEP 751 lock starts with lock-version = \"1.0\"" : $"lock-version '{version}' is not one this reader knows (1.x)");
        }

        if (document.TryGetValue("default-groups", out object? groups) && groups is TomlArray defaults)
        {
            context = context with
            {
                Environment = new Dictionary<string, string>(context.Environment, StringComparer.Ordinal) { ["dependency_groups"] = string.Join('\n', defaults.OfType<string>()) },
            };
        }

        if (document.TryGetValue("environments", out object? environments) && environments is TomlArray markers && markers.Count > 0
            && !markers.OfType<string>().Any(m => context.Holds(m, LineOf(lines, "environments", 0))))
        {
            throw context.Unreadable(LineOf(lines, "environments", 0),
                $"none of its environments ({string.Join("; ", markers.OfType<string>())}) is the target image's (python {context.Environment["python_full_version"]}, {context.Environment["platform_machine"]}): lock for that environment too");
        }

        var packages = new List<LockedPackage>();
        List<TomlTable> entries = Tables(document, "packages");
        for (int i = 0; i < entries.Count; i++)
        {
            int line = NthHeader(lines, "[[packages]]", i);
            if (Package(entries[i], line, context) is { } package)
            {
                packages.Add(package);
            }
        }

        return packages;
    }

    private static LockedPackage? Package(TomlTable entry, int line, LockContext context)
    {
        string name = entry.TryGetValue("name", out object? n) ? n as string ?? "" : "";
        if (name.Length == 0)
        {
            throw context.Unreadable(line, "a [[packages]] entry has no name");
        }

        if (!context.Holds(entry.TryGetValue("marker", out object? m) ? m as string : null, line))
        {
            return null;
        }

        string? version = entry.TryGetValue("version", out object? v) ? v as string : null;
        if (string.IsNullOrWhiteSpace(version))
        {
            throw context.NotPinned(line, name, "it has no version (a VCS, directory or archive entry): only packages pinned to a version from an index can be installed");
        }

        var wheels = new List<LockedWheel>();
        foreach (TomlTable wheel in Tables(entry, "wheels"))
        {
            wheels.Add(Wheel(wheel, name, line, context));
        }

        var hashes = wheels.Select(x => x.Sha256).ToList();
        if (wheels.Count == 0 && entry.TryGetValue("sdist", out object? s) && s is TomlTable sdist && Sha256Of(sdist) is { } sdistHash)
        {
            hashes.Add(sdistHash);
        }

        if (hashes.Count == 0)
        {
            throw context.NotPinned(line, $"{name}=={version}", "it names no wheel or sdist with a sha256 hash");
        }

        return new LockedPackage(name, version.Trim(), hashes.Distinct(StringComparer.Ordinal).ToList())
        {
            Wheels = wheels,
            Index = entry.TryGetValue("index", out object? index) ? index as string : null,
            Origin = context.Origin(line),
        };
    }

    private static LockedWheel Wheel(TomlTable wheel, string package, int line, LockContext context)
    {
        string? url = wheel.TryGetValue("url", out object? u) ? u as string : null;
        string? path = wheel.TryGetValue("path", out object? p) ? p as string : null;
        string? fileName = wheel.TryGetValue("name", out object? n) ? n as string : null;
        // PEP 751: the name may be left out when the URL or path ends with it.
        fileName ??= (url is null ? null : Uri.UnescapeDataString(url.Split('#', '?')[0].Split('/')[^1])) ?? (path is null ? null : Path.GetFileName(path));
        if (string.IsNullOrEmpty(fileName) || !fileName.EndsWith(".whl", StringComparison.OrdinalIgnoreCase))
        {
            throw context.Unreadable(line, $"a wheel of '{package}' has no file name ending in .whl");
        }

        string sha256 = Sha256Of(wheel)
            ?? throw context.NotPinned(line, fileName, "the wheel has no hashes.sha256");
        string? localPath = path is null ? null : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(context.Path)) ?? ".", path));
        return new LockedWheel(fileName, url, localPath, sha256);
    }

    /// <summary>An array of tables, written as [[key]] headers or as an inline array of inline tables.</summary>
    private static List<TomlTable> Tables(TomlTable table, string key) => table.TryGetValue(key, out object? value) switch
    {
        true when value is TomlTableArray headers => [.. headers],
        true when value is TomlArray inline => inline.OfType<TomlTable>().ToList(),
        _ => [],
    };

    private static string? Sha256Of(TomlTable file) =>
        file.TryGetValue("hashes", out object? h) && h is TomlTable hashes && hashes.TryGetValue("sha256", out object? s)
            && s is string hex && LockFile.IsSha256(hex.ToLowerInvariant())
            ? hex.ToLowerInvariant()
            : null;

    /// <summary>The line (1-based) of the <paramref name="n"/>th header <paramref name="header"/>; 0 when not written as a header.</summary>
    private static int NthHeader(string[] lines, string header, int n)
    {
        for (int i = 0, seen = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() == header && seen++ == n)
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static int LineOf(string[] lines, string key, int fallback)
    {
        int i = Array.FindIndex(lines, l => l.TrimStart().StartsWith(key, StringComparison.Ordinal));
        return i < 0 ? fallback : i + 1;
    }
}
