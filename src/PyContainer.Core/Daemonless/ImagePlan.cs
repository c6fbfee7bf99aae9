using System.Text.Json;
using System.Text.Json.Serialization;
using PyContainer.Model;

namespace PyContainer.Daemonless;

/// <summary>
/// One file or folder the app layer holds, copied from the build context.
/// </summary>
/// <param name="Source">A context path ("pycontainer/entrypoint.sh"); ending in '/' it is a context folder whose files go recursively into <paramref name="Target"/>.</param>
/// <param name="Target">The absolute path in the image; a folder ends in '/'.</param>
/// <param name="Executable">0755 for every file; false keeps the modes the context gives (0644, 0755 for an executable source file).</param>
public sealed record PlannedFile(string Source, string Target, bool Executable);

/// <summary>The image's health check as Docker's config holds it.</summary>
/// <param name="Test">Docker's Healthcheck.Test: "CMD" then the command in exec form.</param>
public sealed record PlannedHealthCheck(IReadOnlyList<string> Test, TimeSpan? Interval, TimeSpan? Timeout, TimeSpan? StartPeriod, int? Retries);

/// <summary>
/// What the daemonless builder makes of the app, written by ContainerDockerfile into the build context at
/// <see cref="ContextPath"/> (as the Dockerfile is for the engine): the base image, the lock to install into the
/// virtual environment, and the runner's configuration, field for field what the Dockerfile's runner stage sets
/// (both come from one RunnerConfiguration).
/// </summary>
public sealed record ImagePlan
{
    public const string ContextPath = "pycontainer/image-plan.json";

    /// <summary>The context folder of the lock file.</summary>
    public const string LockContextDirectory = "pycontainer/lock";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The runner's base image reference (ContainerBaseImage, or the default derived from the Python version).</summary>
    public required string BaseImage { get; init; }

    /// <summary>The PythonVersion property as the project set it; null when unset (the base image then tells).</summary>
    public string? PythonVersion { get; init; }

    /// <summary>ContainerBaseImageLibc: "glibc", "musl", or null to learn it from the base image.</summary>
    public string? Libc { get; init; }

    /// <summary>The lock's context path ("pycontainer/lock/pylock.toml"); null when the app has no dependencies.</summary>
    public string? LockFile { get; init; }

    /// <summary>The virtual environment's folder, the Dockerfile mode's (/opt/venv).</summary>
    public required string VirtualEnvironment { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>ContainerUser as the config's User ("10001", "10001:10001").</summary>
    public required string User { get; init; }

    /// <summary>
    /// The runner stage's ENV in instruction order, PATH apart (see <see cref="PathPrefix"/>; a ContainerEnvironmentVariable
    /// named PATH stays, after it). A name may come twice (a project's PYTHONUNBUFFERED): set in order, the later value
    /// replaces the earlier one in place, as Docker's ENV does.
    /// </summary>
    public required IReadOnlyList<NamedValue> Environment { get; init; }

    /// <summary>What PATH puts before the base image's PATH ("/opt/venv/bin"), joined with ':'.</summary>
    public required string PathPrefix { get; init; }

    /// <summary>As "8000/tcp".</summary>
    public required IReadOnlyList<string> ExposedPorts { get; init; }

    public required IReadOnlyList<string> Volumes { get; init; }

    public required IReadOnlyList<NamedValue> Labels { get; init; }

    public PlannedHealthCheck? HealthCheck { get; init; }

    /// <summary>The config's Entrypoint; null keeps the base image's (Docker's ENTRYPOINT-less runner stage).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public required IReadOnlyList<string> Cmd { get; init; }

    /// <summary>The app layer's files, in the order the runner stage copies them.</summary>
    public required IReadOnlyList<PlannedFile> Files { get; init; }

    /// <summary>Folders created in the app layer and owned by <see cref="User"/> (its uid and gid), the only ones it may write.</summary>
    public required IReadOnlyList<string> WritableDirectories { get; init; }

    /// <summary>The lock's context path for a lock file named <paramref name="lockFilePath"/>.</summary>
    public static string LockContextPath(string lockFilePath) => LockContextDirectory + "/" + Path.GetFileName(lockFilePath);

    /// <summary>Indented JSON, properties in declaration order, '\n' line ends: the same plan gives the same bytes.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions).ReplaceLineEndings("\n") + "\n";

    /// <summary>Reads a plan <see cref="ToJson"/> wrote; InvalidDataException when it does not hold one.</summary>
    public static ImagePlan FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ImagePlan>(json, JsonOptions)
                ?? throw new InvalidDataException("The image plan is empty: run ContainerDockerfile again.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The image plan is damaged ({e.Message}): run ContainerDockerfile again (or `dotnet clean`).", e);
        }
    }
}
