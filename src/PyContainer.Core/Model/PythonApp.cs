namespace PyContainer.Model;

/// <summary>
/// The validated model of a containerized Python app. Everything in it is safe to put into a Dockerfile:
/// values that could break out of an instruction were rejected on the way in (by
/// <see cref="Settings.PythonAppResolver"/>, the only maker of one).
/// </summary>
public sealed record PythonApp
{
    public const string DefaultPythonVersion = "3.12";
    public const int DefaultWebPort = 8000;

    internal PythonApp()
    {
    }

    public required string ProjectName { get; init; }

    public required IReadOnlyList<AppFile> Files { get; init; }

    /// <summary>Requirement lines in the order given, requirements files first.</summary>
    public required IReadOnlyList<string> Requirements { get; init; }

    public required ImageReference BuilderImage { get; init; }

    public required ImageReference RunnerImage { get; init; }

    public required EntryPoint EntryPoint { get; init; }

    public required IReadOnlyList<ContainerPort> Ports { get; init; }

    public required IReadOnlyList<NamedValue> EnvironmentVariables { get; init; }

    public required IReadOnlyList<NamedValue> Labels { get; init; }

    public required string User { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyList<string> BuildPackages { get; init; }

    public required IReadOnlyList<string> RuntimePackages { get; init; }

    /// <summary>Where pip looks for packages in the builder stage; null means pip's default (PyPI).</summary>
    public string? PackageIndexUrl { get; init; }

    public string? ExtraPackageIndexUrl { get; init; }

    public string Generator { get; init; } = "PyContainer";

    /// <summary>The Python version the default images use (property, .python-version, requires-python, default).</summary>
    public required string PythonVersion { get; init; }

    /// <summary>True when both images are the official defaults, so the Dockerfile can take ARG PYTHON_VERSION.</summary>
    public required bool UsesDefaultImages { get; init; }

    /// <summary>The strategy asked for; without BuildKit the Dockerfile falls back from wheels (see InstallStrategySteps.For).</summary>
    public required InstallStrategy InstallStrategy { get; init; }

    public required bool BuildKit { get; init; }

    /// <summary>The app's folder is a Python project (pyproject.toml or setup.py) built into a wheel.</summary>
    public required bool IsPythonProject { get; init; }

    /// <summary>
    /// The project's dependencies when its pyproject.toml declares them statically (validated requirement lines),
    /// so they can be built before the project's sources are copied; null when only building the project tells
    /// (setup.py, dynamic dependencies), and for apps that are no Python project.
    /// </summary>
    public IReadOnlyList<string>? ProjectDependencies { get; init; }

    /// <summary>
    /// The project's `[build-system].requires` from its pyproject.toml (validated requirement lines), so the builder
    /// can install its build backend once, before the sources; null when not declared.
    /// </summary>
    public IReadOnlyList<string>? ProjectBuildRequirements { get; init; }

    public required bool DjangoCollectStatic { get; init; }

    public required bool DjangoMigrate { get; init; }

    public required IReadOnlyList<string> DjangoFixtures { get; init; }

    /// <summary>The Django settings module, for Django apps.</summary>
    public string? DjangoSettingsModule { get; init; }

    public string? HealthCheckPath { get; init; }

    /// <summary>Folders the runtime user may write, in item order (see <see cref="WritableDirectory"/>).</summary>
    public IReadOnlyList<WritableDirectory> WritableDirectories { get; init; } = [];

    /// <summary>The project's startup steps, in item order; Django's own come first (see EntrypointScript).</summary>
    public IReadOnlyList<StartupStep> StartupSteps { get; init; } = [];

    /// <summary>Whether a check stage imports and resolves the entry point at build time.</summary>
    public bool EntryPointCheck { get; init; }

    /// <summary>Dockerfile (the default) or Daemonless (ContainerBuildMode).</summary>
    public ContainerBuildMode BuildMode { get; init; } = ContainerBuildMode.Dockerfile;

    /// <summary>The PythonVersion property as the project set it; null when unset (<see cref="PythonVersion"/> is then detected).</summary>
    public string? RequestedPythonVersion { get; init; }

    /// <summary>ContainerBaseImageLibc: "glibc" or "musl", or null to learn it from the base image.</summary>
    public string? BaseImageLibc { get; init; }

    /// <summary>
    /// The lock file's full path (a PEP 751 pylock.toml or a hashed requirements file) for the daemonless mode;
    /// null in the Dockerfile mode, which installs <see cref="Requirements"/> with pip and reads no lock, and for an
    /// app without dependencies.
    /// </summary>
    public string? LockFile { get; init; }

    /// <summary>Warnings found while building the model, as (code, message).</summary>
    public required IReadOnlyList<(string Code, string Message)> Warnings { get; init; }
}
