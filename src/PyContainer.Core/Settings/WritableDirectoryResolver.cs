using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>Turns ContainerWritableDirectory items into <see cref="WritableDirectory"/> records, or fails with PYC1030.</summary>
public static partial class WritableDirectoryResolver
{
    [GeneratedRegex(@"^[A-Za-z0-9/._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    /// <summary>
    /// Folders that belong to the system or to PyContainer: making one writable would let the runtime user change
    /// what runs (the interpreter, the venv, the entrypoint) instead of the app's state.
    /// </summary>
    private static readonly string[] Reserved = ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/opt/venv", "/opt/pycontainer", "/opt/pex-root", "/proc", "/sbin", "/sys", "/usr"];

    /// <summary>
    /// Resolves ContainerWritableDirectory items (relative to <paramref name="workingDirectory"/> or absolute),
    /// in item order, each once. Fails with PYC1030 for a path that leaves its folder, is not a plain path, or
    /// would make the app's own folder or a system folder writable.
    /// </summary>
    /// <param name="appFiles">The app's files, relative to <paramref name="workingDirectory"/>: a folder cannot be one of them.</param>
    public static List<WritableDirectory> Resolve(IList<WritableDirectorySetting> items, string workingDirectory, IReadOnlyCollection<string>? appFiles = null)
    {
        var result = new List<WritableDirectory>();
        foreach (WritableDirectorySetting item in items)
        {
            string raw = item.Path.Trim().Replace('\\', '/');
            if (raw.Length == 0 || !PathPattern().IsMatch(raw))
            {
                throw Invalid(item.Path, "use letters, digits and '/._-' only");
            }

            string[] parts = raw.Split(['/'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Any(p => p is "." or ".."))
            {
                throw Invalid(item.Path, "'.' and '..' are not allowed: name the folder itself");
            }

            string path = "/" + string.Join("/", raw.StartsWith('/') ? parts : [.. workingDirectory.Split(['/'], StringSplitOptions.RemoveEmptyEntries), .. parts]);
            if (path == "/" || IsSameOrInside(workingDirectory, path))
            {
                throw Invalid(item.Path, $"it would make the app's folder {workingDirectory} itself writable; name the subfolder the app writes, e.g. 'instance'");
            }

            if (Reserved.FirstOrDefault(r => IsSameOrInside(path, r) || IsSameOrInside(r, path)) is { } reserved)
            {
                throw Invalid(item.Path, $"{reserved} belongs to the system or to PyContainer; use a folder of the app's, e.g. 'instance' or '/var/lib/myapp'");
            }

            string inApp = path.StartsWith(workingDirectory + "/", StringComparison.Ordinal) ? path[(workingDirectory.Length + 1)..] : "";
            if (appFiles?.FirstOrDefault(f => IsSameOrInside(inApp, f)) is { } file)
            {
                // mkdir would fail inside the build (PYC3002) on a path the app already has as a file.
                throw Invalid(item.Path, $"'{file}' is a file of the app, not a folder; name the folder the app writes");
            }

            bool volume = ParseVolume(item);
            int existing = result.FindIndex(d => d.Path == path);
            if (existing >= 0)
            {
                result[existing] = result[existing] with { Volume = result[existing].Volume || volume };
                continue;
            }

            result.Add(new WritableDirectory(path, volume));
        }

        return result;
    }

    private static bool ParseVolume(WritableDirectorySetting item) =>
        string.IsNullOrWhiteSpace(item.Volume) ? false
        : bool.TryParse(item.Volume.Trim(), out bool volume) ? volume
        : throw Invalid(item.Path, $"Volume='{item.Volume}' is neither true nor false");

    /// <summary>Whether <paramref name="inner"/> is <paramref name="outer"/> or a folder inside it.</summary>
    private static bool IsSameOrInside(string inner, string outer) =>
        inner == outer || inner.StartsWith(outer.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static PyContainerException Invalid(string value, string reason) => Errors.Create(Errors.InvalidWritableDirectory, value, reason);
}

/// <summary>A ContainerWritableDirectory item as the project states it.</summary>
public sealed partial record WritableDirectorySetting(string Path, string? Volume = null);
