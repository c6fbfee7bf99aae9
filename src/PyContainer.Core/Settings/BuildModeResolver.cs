using System.Globalization;
using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>
/// The build-mode settings: ContainerBuildMode, ContainerBaseImageLibc and, for the daemonless mode, which lock file
/// its dependencies come from (PythonLockFile, else the one lock of the project folder).
/// </summary>
internal static partial class BuildModeResolver
{
    /// <summary>PEP 751's default name; the targets pass it as PythonLockFile when it exists.</summary>
    public const string DefaultLockFile = "pylock.toml";

    // pip-compile --generate-hashes, pip's own hash-checking mode: "--hash=sha256:<hex>" (or a space after --hash).
    [GeneratedRegex(@"--hash[=\s]+sha256:[0-9a-fA-F]{64}")]
    private static partial Regex HashOption();

    // PEP 751: pylock.toml or pylock.<name>.toml.
    [GeneratedRegex(@"^pylock\.([^.]+\.)?toml$")]
    private static partial Regex PylockName();

    public static ContainerBuildMode Mode(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "dockerfile" => ContainerBuildMode.Dockerfile,
        "daemonless" => ContainerBuildMode.Daemonless,
        _ => throw Errors.Create(Errors.InvalidPropertyValue, "ContainerBuildMode", value, "use Dockerfile or Daemonless"),
    };

    public static string? Libc(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "glibc" => "glibc",
        "musl" => "musl",
        _ => throw Errors.Create(Errors.InvalidPropertyValue, "ContainerBaseImageLibc", value, "use glibc or musl, or leave it empty to learn it from the base image"),
    };

    /// <summary>
    /// The lock's full path: PythonLockFile, else the project folder's one candidate (pylock.toml first); null when the
    /// app needs none. PYC1052 when it needs one and there is none, PYC1053 when there are several to choose from.
    /// </summary>
    public static string? LockFile(PythonAppSettings settings, PythonApp app)
    {
        string requirements = RequirementsText(app);
        if (!string.IsNullOrWhiteSpace(settings.PythonLockFile))
        {
            string path = Path.GetFullPath(settings.PythonLockFile.Trim(), settings.ProjectDirectory);
            return File.Exists(path)
                ? path
                : throw Errors.Create(Errors.LockFileMissing, requirements.Length > 0 ? requirements : "none yet", $"the PythonLockFile '{settings.PythonLockFile}' does not exist ({path})");
        }

        string pylock = Path.Combine(settings.ProjectDirectory, DefaultLockFile);
        if (File.Exists(pylock))
        {
            return Path.GetFullPath(pylock);
        }

        if (requirements.Length == 0)
        {
            return null;
        }

        List<string> candidates = Candidates(settings.ProjectDirectory);
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw Errors.Create(Errors.LockFileMissing, requirements, "the project folder has no pylock.toml, pylock.*.toml or requirements file with --hash lines"),
            _ => throw Errors.Create(Errors.LockFileAmbiguous, string.Join(", ", candidates.Select(Path.GetFileName))),
        };
    }

    /// <summary>The project folder's pylock.*.toml files and text files with --hash lines (not its subfolders), sorted.</summary>
    private static List<string> Candidates(string projectDirectory)
    {
        if (!Directory.Exists(projectDirectory))
        {
            return [];
        }

        return Directory.EnumerateFiles(projectDirectory)
            .Where(f => PylockName().IsMatch(Path.GetFileName(f)) || (f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) && IsHashed(f)))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsHashed(string path)
    {
        try
        {
            return HashOption().IsMatch(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return false; // Unreadable is no candidate; a named PythonLockFile reports its own errors when read.
        }
    }

    /// <summary>What the app installs, for PYC1052: "3 requirement lines" or "" when none.</summary>
    private static string RequirementsText(PythonApp app) => app.Requirements.Count switch
    {
        0 => "",
        1 => $"'{app.Requirements[0]}'",
        int n => string.Create(CultureInfo.InvariantCulture, $"{n} requirement lines"),
    };
}
