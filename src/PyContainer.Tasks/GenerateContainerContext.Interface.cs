using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// ContainerDockerfile: builds the app model from the project's items and properties, then writes the Dockerfile,
/// .dockerignore, merged requirements and the context manifest. Needs no engine, so design-time builds can run it.
/// Each parameter is named as the MSBuild property or item it carries (docs/reference.md says what each means).
/// None has a default here: a setting with a constant default gets it in PyContainer.Sdk.targets' defaults group,
/// is always passed, and so is [Required]; the core computes the derived defaults (images, version, migrate).
/// </summary>
public sealed partial class GenerateContainerContext : PyContainerTask
{
    /// <summary>$(MSBuildProjectDirectory): the folder whose files are the default content.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>$(MSBuildProjectName): names the generated Python project when one is needed.</summary>
    [Required]
    public string ProjectName { get; set; } = "";

    /// <summary>ContainerIntermediateDirectory: where the Dockerfile, .dockerignore and the build context list go.</summary>
    [Required]
    public string ContainerIntermediateDirectory { get; set; } = "";

    /// <summary>PythonSource items: files always copied to the app folder; metadata Link is the path there.</summary>
    public ITaskItem[] PythonSource { get; set; } = [];

    /// <summary>PythonContent items: any file always copied to the app folder; metadata Link is the path there.</summary>
    public ITaskItem[] PythonContent { get; set; } = [];

    /// <summary>EnableDefaultPythonContentItems: every file under the project folder goes in, but for the built-in exclusions and the .dockerignore.</summary>
    [Required]
    public bool EnableDefaultPythonContentItems { get; set; }

    /// <summary>DefaultPythonItemExcludes: more patterns (.dockerignore syntax) the default content leaves out.</summary>
    public string[] DefaultPythonItemExcludes { get; set; } = [];

    /// <summary>PythonRequirementsFile items: pip requirements files.</summary>
    public ITaskItem[] PythonRequirementsFile { get; set; } = [];

    /// <summary>PythonRequirement items: one requirement line each.</summary>
    public ITaskItem[] PythonRequirement { get; set; } = [];

    /// <summary>PythonVersion: major.minor[.patch]; empty detects it (.python-version, requires-python, then 3.12).</summary>
    public string? PythonVersion { get; set; }

    /// <summary>ContainerBaseImage: the runner stage image; empty derives it from PythonVersion.</summary>
    public string? ContainerBaseImage { get; set; }

    /// <summary>ContainerBuilderImage: the builder stage image; empty derives it from the runner.</summary>
    public string? ContainerBuilderImage { get; set; }

    /// <summary>PythonWsgiApp: a WSGI callable, module:attribute.</summary>
    public string? PythonWsgiApp { get; set; }

    /// <summary>PythonScript: a script run with python3, relative to the project folder.</summary>
    public string? PythonScript { get; set; }

    /// <summary>PythonModule: a module run with python3 -m.</summary>
    public string? PythonModule { get; set; }

    /// <summary>PythonAsgiApp: an ASGI callable, module:attribute, served by uvicorn.</summary>
    public string? PythonAsgiApp { get; set; }

    /// <summary>PythonWsgiServer: gunicorn, twisted or waitress, for WSGI and Django apps.</summary>
    [Required]
    public string PythonWsgiServer { get; set; } = "";

    /// <summary>PythonDjangoSettingsModule: the Django settings module; empty detects it from manage.py.</summary>
    public string? PythonDjangoSettingsModule { get; set; }

    /// <summary>PythonDjangoCollectStatic: run manage.py collectstatic while building the image.</summary>
    [Required]
    public bool PythonDjangoCollectStatic { get; set; }

    /// <summary>PythonDjangoMigrate: "true" or "false"; empty migrates Django apps at start (a derived default).</summary>
    public string? PythonDjangoMigrate { get; set; }

    /// <summary>PythonDjangoFixture items: fixtures loaded after migrating, on request.</summary>
    public ITaskItem[] PythonDjangoFixture { get; set; } = [];

    /// <summary>PythonInstallStrategy: wheels, venv or pex.</summary>
    [Required]
    public string PythonInstallStrategy { get; set; } = "";

    /// <summary>PythonProjectDirectory: a folder with pyproject.toml or setup.py, built and installed as a package.</summary>
    public string? PythonProjectDirectory { get; set; }

    /// <summary>ContainerBuildKit: false writes a Dockerfile without RUN --mount for engines without BuildKit.</summary>
    [Required]
    public bool ContainerBuildKit { get; set; }

    /// <summary>ContainerHealthCheckPath: a URL path the HEALTHCHECK requests.</summary>
    public string? ContainerHealthCheckPath { get; set; }

    /// <summary>ContainerAppCommand items: the container command, one argument each, in order.</summary>
    public ITaskItem[] ContainerAppCommand { get; set; } = [];

    /// <summary>ContainerPort items: exposed ports; metadata Type is tcp or udp.</summary>
    public ITaskItem[] ContainerPort { get; set; } = [];

    /// <summary>ContainerEnvironmentVariable items: ENV of the image; metadata Value.</summary>
    public ITaskItem[] ContainerEnvironmentVariable { get; set; } = [];

    /// <summary>ContainerLabel items: image labels, the generated OCI labels included; metadata Value.</summary>
    public ITaskItem[] ContainerLabel { get; set; } = [];

    /// <summary>ContainerUser: the user (name or uid, optional :group) the app runs as.</summary>
    [Required]
    public string ContainerUser { get; set; } = "";

    /// <summary>ContainerWorkingDirectory: the absolute folder the app's files go to.</summary>
    [Required]
    public string ContainerWorkingDirectory { get; set; } = "";

    /// <summary>ContainerBuildPackage items: OS packages installed in the builder only.</summary>
    public ITaskItem[] ContainerBuildPackage { get; set; } = [];

    /// <summary>ContainerRuntimePackage items: OS packages installed in the runner.</summary>
    public ITaskItem[] ContainerRuntimePackage { get; set; } = [];

    /// <summary>PythonPackageIndexUrl: the index the builder's pip uses (PIP_INDEX_URL).</summary>
    public string? PythonPackageIndexUrl { get; set; }

    /// <summary>PythonExtraPackageIndexUrl: an extra index (PIP_EXTRA_INDEX_URL).</summary>
    public string? PythonExtraPackageIndexUrl { get; set; }

    /// <summary>ContainerWritableDirectory items: folders the app writes; metadata Volume="true" adds a VOLUME.</summary>
    public ITaskItem[] ContainerWritableDirectory { get; set; } = [];

    /// <summary>ContainerStartupStep items: commands run before the server, in order; metadata Command is the ';'-separated argument list.</summary>
    public ITaskItem[] ContainerStartupStep { get; set; } = [];

    /// <summary>PythonEntryPointCheck: "true" or "false" (a coded error otherwise); false skips the build-time import of the entry point.</summary>
    [Required]
    public string PythonEntryPointCheck { get; set; } = "";

    /// <summary>ContainerBuildMode: Dockerfile or Daemonless (case-insensitive); Daemonless also writes the image plan and puts the lock in the context.</summary>
    [Required]
    public string ContainerBuildMode { get; set; } = "";

    /// <summary>ContainerBaseImageLibc: glibc or musl; empty learns it from the base image (daemonless mode).</summary>
    public string? ContainerBaseImageLibc { get; set; }

    /// <summary>PythonLockFile: the daemonless mode's lock (pylock.toml or a hashed requirements file), relative to the project.</summary>
    public string? PythonLockFile { get; set; }

    /// <summary>ContainerDockerfilePath: the full path of the generated Dockerfile.</summary>
    [Output]
    public string ContainerDockerfilePath { get; private set; } = "";

    /// <summary>The context manifest BuildContainerImage reads (which file goes where in the build context).</summary>
    [Output]
    public string ContextManifest { get; private set; } = "";

    /// <summary>Every file written, for FileWrites (so `dotnet clean` removes them).</summary>
    [Output]
    public ITaskItem[] GeneratedFiles { get; private set; } = [];

    /// <summary>The ports the container listens on, as "8000/tcp" (defaults included), for ContainerCompose.</summary>
    [Output]
    public string[] ResolvedPorts { get; private set; } = [];

    /// <summary>The image's VOLUME folders (ContainerWritableDirectory Volume="true"), for ContainerCompose.</summary>
    [Output]
    public string[] ResolvedVolumes { get; private set; } = [];

    /// <summary>Build arguments for the builder stage (package index URLs); metadata Value holds the value.</summary>
    [Output]
    public ITaskItem[] BuildArguments { get; private set; } = [];
}
