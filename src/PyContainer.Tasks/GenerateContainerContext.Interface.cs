using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// Builds the app model from the project's items and properties, then writes the Dockerfile, .dockerignore,
/// merged requirements and the context manifest. Needs no engine, so design-time builds can run it.
/// </summary>
public sealed partial class GenerateContainerContext : PyContainerTask
{
    [Required]
    public string ProjectDirectory { get; set; } = "";

    [Required]
    public string ProjectName { get; set; } = "";

    [Required]
    public string OutputDirectory { get; set; } = "";

    public ITaskItem[] PythonSource { get; set; } = [];

    public ITaskItem[] PythonContent { get; set; } = [];

    /// <summary>Every file under the project folder goes in, but for the built-in exclusions and the .dockerignore.</summary>
    public bool EnableDefaultPythonContentItems { get; set; } = true;

    /// <summary>More patterns (.dockerignore syntax) the default content leaves out.</summary>
    public string[] DefaultPythonItemExcludes { get; set; } = [];

    public ITaskItem[] PythonRequirementsFile { get; set; } = [];

    public ITaskItem[] PythonRequirement { get; set; } = [];

    public string? PythonVersion { get; set; }

    public string? ContainerBaseImage { get; set; }

    public string? ContainerBuilderImage { get; set; }

    public string? PythonWsgiApp { get; set; }

    public string? PythonScript { get; set; }

    public string? PythonModule { get; set; }

    public string? PythonAsgiApp { get; set; }

    public string? PythonWsgiServer { get; set; }

    public string? PythonDjangoSettingsModule { get; set; }

    public bool PythonDjangoCollectStatic { get; set; }

    public string? PythonDjangoMigrate { get; set; }

    public ITaskItem[] PythonDjangoFixture { get; set; } = [];

    public string? PythonInstallStrategy { get; set; }

    public string? PythonProjectDirectory { get; set; }

    public bool ContainerBuildKit { get; set; } = true;

    public string? ContainerHealthCheckPath { get; set; }

    public ITaskItem[] ContainerAppCommand { get; set; } = [];

    public ITaskItem[] ContainerPort { get; set; } = [];

    public ITaskItem[] ContainerEnvironmentVariable { get; set; } = [];

    public ITaskItem[] ContainerLabel { get; set; } = [];

    public string? ContainerUser { get; set; }

    public string? ContainerWorkingDirectory { get; set; }

    public ITaskItem[] ContainerBuildPackage { get; set; } = [];

    public ITaskItem[] ContainerRuntimePackage { get; set; } = [];

    public string? PythonPackageIndexUrl { get; set; }

    public string? PythonExtraPackageIndexUrl { get; set; }

    /// <summary>Folders the app writes; metadata Volume="true" adds a VOLUME.</summary>
    public ITaskItem[] ContainerWritableDirectory { get; set; } = [];

    /// <summary>Commands run before the server, in order; metadata Command is the ';'-separated argument list.</summary>
    public ITaskItem[] ContainerStartupStep { get; set; } = [];

    /// <summary>"false" skips the build-time import of the entry point.</summary>
    public string? PythonEntryPointCheck { get; set; }

    [Output]
    public string DockerfilePath { get; private set; } = "";

    [Output]
    public string ContextManifestPath { get; private set; } = "";

    /// <summary>Every file written, for FileWrites (so `dotnet clean` removes them).</summary>
    [Output]
    public ITaskItem[] GeneratedFiles { get; private set; } = [];

    /// <summary>The ports the container listens on, as "8000/tcp" (defaults included), for ContainerCompose.</summary>
    [Output]
    public string[] ResolvedPorts { get; private set; } = [];

    /// <summary>The image's VOLUME folders (ContainerWritableDirectory Volume="true"), for ContainerCompose.</summary>
    [Output]
    public string[] ResolvedVolumes { get; private set; } = [];

    /// <summary>Build arguments for the builder stage (package index URLs), Value metadata holds the value.</summary>
    [Output]
    public ITaskItem[] BuildArguments { get; private set; } = [];
}
