using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace PyContainer.Daemonless;

/// <summary>
/// Reads a base image's layers (gzip tars, bottom first, whiteouts honoured) for <see cref="BaseImageFacts"/>: the
/// first <c>python3</c> on the config's PATH with its symlinks followed, the C library's loader
/// (<c>ld-musl-*</c> or <c>ld-linux-*</c>) and its version from the package database (dpkg's libc6, apk's musl) or
/// the library's file name. Only names and those two small files are kept, so a 200 MB layer costs one streaming pass.
/// </summary>
public sealed partial class BaseImageScanner
{
    private const string DpkgStatus = "var/lib/dpkg/status";
    private const string ApkInstalled = "lib/apk/db/installed";

    /// <summary>Path (no leading '/') to symlink target, or null for a file or directory.</summary>
    private readonly Dictionary<string, string?> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _packageDatabases = new(StringComparer.Ordinal);

    /// <summary>Adds one layer over the ones added before it.</summary>
    public void AddLayer(Stream gzippedTar)
    {
        using var gzip = new GZipStream(gzippedTar, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            string path = Normalize(entry.Name);
            string name = Path.GetFileName(path.TrimEnd('/'));
            string? folder = Path.GetDirectoryName(path.TrimEnd('/'))?.Replace('\\', '/');
            if (name == ".wh..wh..opq")
            {
                RemoveUnder(folder ?? "");
                continue;
            }

            if (name.StartsWith(".wh.", StringComparison.Ordinal))
            {
                string removed = string.IsNullOrEmpty(folder) ? name[4..] : $"{folder}/{name[4..]}";
                _entries.Remove(removed);
                RemoveUnder(removed);
                continue;
            }

            path = path.TrimEnd('/');
            _entries[path] = entry.EntryType is TarEntryType.SymbolicLink ? entry.LinkName : null;
            if (entry.EntryType is TarEntryType.HardLink)
            {
                _entries[path] = "/" + Normalize(entry.LinkName);
            }

            if ((path is DpkgStatus or ApkInstalled) && entry.DataStream is { } data)
            {
                using var text = new StreamReader(data, Encoding.UTF8);
                _packageDatabases[path] = text.ReadToEnd();
            }
        }
    }

    /// <summary>The facts, or null for the interpreter when no python3 is on <paramref name="path"/>.</summary>
    /// <param name="path">The config's PATH (colon-separated).</param>
    /// <param name="pythonVersionVariable">The config's PYTHON_VERSION (the official images set it), or null.</param>
    public BaseImageFacts? Facts(string path, string? pythonVersionVariable)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (string folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = folder.TrimEnd('/') + "/python3";
            if (Resolve(candidate) is not { } real || PythonFileName().Match(Path.GetFileName(real)) is not { Success: true } match)
            {
                continue;
            }

            string version = match.Groups[1].Value;
            string full = FullPythonVersion(version, pythonVersionVariable);
            (string? libc, string? libcVersion) = CLibrary();
            return new BaseImageFacts(candidate, version, full, libc, libcVersion);
        }

        return null;
    }

    /// <summary>Follows symlinks (relative or absolute) to the file they name; null when it does not exist.</summary>
    private string? Resolve(string absolutePath)
    {
        string current = absolutePath;
        for (int hops = 0; hops < 16; hops++)
        {
            string key = Normalize(current);
            if (!_entries.TryGetValue(key, out string? target))
            {
                return null;
            }

            if (target is null)
            {
                return "/" + key;
            }

            current = target.StartsWith('/') ? target : "/" + Path.Combine(Path.GetDirectoryName(key) ?? "", target).Replace('\\', '/');
            current = Collapse(current);
        }

        return null;
    }

    private string FullPythonVersion(string version, string? variable)
    {
        if (variable is { } v && v.StartsWith(version + ".", StringComparison.Ordinal))
        {
            return v;
        }

        // Debian's python3.X package: "Version: 3.11.2-6+deb12u1".
        string? debian = PackageVersion(DpkgStatus, "Package: python" + version + "-minimal", "Version: ")
            ?? PackageVersion(DpkgStatus, "Package: python" + version, "Version: ");
        return debian is not null && DottedVersion().Match(debian) is { Success: true } m && m.Value.StartsWith(version + ".", StringComparison.Ordinal)
            ? m.Value
            : version;
    }

    private (string? Libc, string? Version) CLibrary()
    {
        bool musl = _entries.Keys.Any(k => k.StartsWith("lib/ld-musl-", StringComparison.Ordinal));
        if (musl)
        {
            string? apk = PackageVersion(ApkInstalled, "P:musl", "V:");
            return ("musl", apk is null ? null : MajorMinor(apk));
        }

        bool glibc = _entries.Keys.Any(k => LoaderPath().IsMatch(k));
        if (!glibc)
        {
            return (null, null);
        }

        string? dpkg = PackageVersion(DpkgStatus, "Package: libc6", "Version: ");
        string? fromName = _entries.Keys.Select(k => GlibcFileName().Match(k)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        return ("glibc", dpkg is not null ? MajorMinor(dpkg) : fromName);
    }

    /// <summary>The field of one package's stanza in a dpkg status or apk installed file.</summary>
    private string? PackageVersion(string database, string packageLine, string field)
    {
        if (!_packageDatabases.TryGetValue(database, out string? text))
        {
            return null;
        }

        foreach (string stanza in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n"))
        {
            string[] lines = stanza.Split('\n');
            if (lines.Any(l => l == packageLine))
            {
                return lines.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))?[field.Length..].Trim();
            }
        }

        return null;
    }

    private static string? MajorMinor(string version) => DottedVersion().Match(version) is { Success: true } m
        ? string.Join('.', m.Value.Split('.').Take(2))
        : null;

    private void RemoveUnder(string folder)
    {
        string prefix = folder.Length == 0 ? "" : folder + "/";
        foreach (string key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k != folder).ToList())
        {
            _entries.Remove(key);
        }
    }

    private static string Normalize(string name) => Collapse("/" + name.Replace('\\', '/')).TrimStart('/');

    /// <summary>"/a/./b/../c" as "/a/c".</summary>
    private static string Collapse(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts) + (path.EndsWith('/') ? "/" : "");
    }

    [GeneratedRegex(@"^python(3\.\d+)$")]
    private static partial Regex PythonFileName();

    [GeneratedRegex(@"\d+\.\d+(\.\d+)?")]
    private static partial Regex DottedVersion();

    [GeneratedRegex(@"^(usr/)?lib(64|32)?/(\w+-linux-gnu\w*/)?ld-linux[-\w.]*\.so\.\d+$")]
    private static partial Regex LoaderPath();

    [GeneratedRegex(@"(?:^|/)libc-(\d+\.\d+)\.so$")]
    private static partial Regex GlibcFileName();
}
