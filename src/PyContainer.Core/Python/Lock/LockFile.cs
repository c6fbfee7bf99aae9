using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Python.Requirements;
using PyContainer.Python.Wheels;

namespace PyContainer.Python.Lock;

/// <summary>
/// Reads the lock a daemonless build installs from: a PEP 751 pylock.toml (pylock.toml or pylock.&lt;name&gt;.toml),
/// or else a pip requirements file with hashes (pip-compile --generate-hashes, uv export, pip freeze + hashes).
/// Environment markers are evaluated for the target image, not the build machine: what the entries are for
/// another platform or Python is left out.
/// </summary>
public static partial class LockFile
{
    [GeneratedRegex(@"^pylock\.([^.]+\.)?toml\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PylockName();

    [GeneratedRegex(@"^[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();

    /// <summary>Whether <paramref name="path"/> is named as a PEP 751 lock ("pylock.toml", "pylock.dev.toml").</summary>
    public static bool IsPylock(string path) => PylockName().IsMatch(Path.GetFileName(path));

    /// <summary>
    /// The packages of the lock at <paramref name="path"/> that the target installs; <paramref name="property"/>
    /// (e.g. "PythonLockFile") is what messages tell the user to fix.
    /// </summary>
    public static IReadOnlyList<LockedPackage> Read(string path, string property, TargetPlatform target)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(target);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Create(Errors.LockUnreadable, e, property, path, 0, e.Message);
        }

        // No extras are asked for; a pylock.toml's default-groups set dependency_groups (PylockReader).
        var environment = new Dictionary<string, string>(target.MarkerEnvironment(), StringComparer.Ordinal) { ["extras"] = "", ["dependency_groups"] = "" };
        var context = new LockContext(path, property, environment);
        List<LockedPackage> packages = IsPylock(path) ? PylockReader.Read(text, context) : HashedRequirementsReader.Read(text, context);
        var seen = new Dictionary<string, LockedPackage>(StringComparer.Ordinal);
        foreach (LockedPackage package in packages)
        {
            string key = WheelFileName.Normalize(package.Name);
            if (seen.TryGetValue(key, out LockedPackage? first))
            {
                throw context.Unreadable(LineOf(package.Origin),
                    $"'{package.Name}' is listed again for the target ({first.Origin} already pins {first.Name}=={first.Version}): keep one entry, or give the entries markers that exclude each other");
            }

            seen[key] = package;
        }

        return packages;
    }

    internal static bool IsSha256(string hex) => Sha256Hex().IsMatch(hex);

    private static int LineOf(string? origin) =>
        origin is not null && int.TryParse(origin[(origin.LastIndexOf(' ') + 1)..], out int line) ? line : 0;
}

/// <summary>What the readers share: the file and property for messages and the target's marker values.</summary>
internal sealed record LockContext(string Path, string Property, IReadOnlyDictionary<string, string> Environment)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    public string Origin(int line) => $"{FileName} line {line}";

    public PyContainerException Unreadable(int line, string why) => Errors.Create(Errors.LockUnreadable, Property, Path, line, why);

    public PyContainerException NotPinned(int line, string entry, string why) => Errors.Create(Errors.LockNotPinned, Property, Path, line, entry, why);

    /// <summary>Whether the marker holds for the target; a marker that does not parse is the file's error.</summary>
    public bool Holds(string? marker, int line)
    {
        if (string.IsNullOrWhiteSpace(marker))
        {
            return true;
        }

        try
        {
            return Pep508Parser.EvaluateMarker(marker, Environment);
        }
        catch (RequirementSyntaxException e)
        {
            throw Unreadable(line, $"the environment marker '{marker.Trim()}' is not valid: {e.Message}");
        }
    }
}
