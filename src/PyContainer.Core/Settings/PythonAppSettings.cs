using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>
/// The app as the project states it: raw strings from properties and items, not yet validated, each member named
/// as the MSBuild property or item it carries (docs/reference.md). The members that are required here get their
/// constant default in PyContainer.Sdk.targets, so the core has none of its own; an unset optional member is
/// defaulted from other inputs. <see cref="PythonAppResolver.Resolve"/> turns it into the validated model or fails
/// with a coded error.
/// </summary>
public sealed record PythonAppSettings
{
    /// <summary>$(MSBuildProjectDirectory).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>$(MSBuildProjectName).</summary>
    public required string ProjectName { get; init; }

    /// <summary>PythonSource and PythonContent items; <see cref="InputFile.ItemType"/> names the item in errors.</summary>
    public IList<InputFile> Files { get; init; } = [];

    /// <summary>PythonRequirementsFile items, full paths.</summary>
    public IList<string> PythonRequirementsFile { get; init; } = [];

    /// <summary>PythonRequirement items, one requirement line each.</summary>
    public IList<string> PythonRequirement { get; init; } = [];

    /// <summary>Empty detects it (.python-version, requires-python, then <see cref="PythonApp.DefaultPythonVersion"/>).</summary>
    public string? PythonVersion { get; init; }

    /// <summary>Empty derives it from the Python version.</summary>
    public string? ContainerBaseImage { get; init; }

    /// <summary>Empty derives it from the base image.</summary>
    public string? ContainerBuilderImage { get; init; }

    public string? PythonWsgiApp { get; init; }

    public string? PythonScript { get; init; }

    public string? PythonModule { get; init; }

    public string? PythonAsgiApp { get; init; }

    /// <summary>gunicorn, twisted or waitress for WSGI apps; uvicorn serves ASGI apps.</summary>
    public required string PythonWsgiServer { get; init; }

    /// <summary>Empty detects it from manage.py.</summary>
    public string? PythonDjangoSettingsModule { get; init; }

    public required bool PythonDjangoCollectStatic { get; init; }

    /// <summary>Apply migrations when the container starts; null: on for Django apps.</summary>
    public bool? PythonDjangoMigrate { get; init; }

    /// <summary>PythonDjangoFixture items: loaded after the migrations when the container starts with PYCONTAINER_LOAD_FIXTURES=1.</summary>
    public IList<string> PythonDjangoFixture { get; init; } = [];

    /// <summary>wheels, venv or pex.</summary>
    public required string PythonInstallStrategy { get; init; }

    /// <summary>False for engines without BuildKit: the Dockerfile then avoids RUN --mount.</summary>
    public required bool ContainerBuildKit { get; init; }

    /// <summary>A folder (relative to the project) with pyproject.toml or setup.py, built and installed as a package.</summary>
    public string? PythonProjectDirectory { get; init; }

    public string? ContainerHealthCheckPath { get; init; }

    /// <summary>ContainerAppCommand items: the command line, one argument each.</summary>
    public IList<string> ContainerAppCommand { get; init; } = [];

    /// <summary>ContainerPort items (Type metadata); none gives a web app <see cref="PythonApp.DefaultWebPort"/>.</summary>
    public IList<NamedValue> ContainerPort { get; init; } = [];

    public IList<NamedValue> ContainerEnvironmentVariable { get; init; } = [];

    public IList<NamedValue> ContainerLabel { get; init; } = [];

    public required string ContainerUser { get; init; }

    public required string ContainerWorkingDirectory { get; init; }

    public IList<string> ContainerBuildPackage { get; init; } = [];

    public IList<string> ContainerRuntimePackage { get; init; } = [];

    public string? PythonPackageIndexUrl { get; init; }

    public string? PythonExtraPackageIndexUrl { get; init; }

    /// <summary>Who generated the Dockerfile, for its first comment ("PyContainer 1.2.3").</summary>
    public string? Generator { get; init; }

    /// <summary>ContainerWritableDirectory items: folders the app writes, owned by the runtime user.</summary>
    public IList<WritableDirectorySetting> ContainerWritableDirectory { get; init; } = [];

    /// <summary>ContainerStartupStep items, in order: commands run before the server.</summary>
    public IList<StartupStepSetting> ContainerStartupStep { get; init; } = [];

    /// <summary>Import and resolve the entry point at build time.</summary>
    public required bool PythonEntryPointCheck { get; init; }

    /// <summary>Dockerfile or Daemonless (case-insensitive); empty is Dockerfile.</summary>
    public string? ContainerBuildMode { get; init; }

    /// <summary>glibc or musl (case-insensitive); empty learns it from the base image (daemonless mode).</summary>
    public string? ContainerBaseImageLibc { get; init; }

    /// <summary>
    /// The daemonless mode's lock (relative to the project): a PEP 751 pylock.toml or a hashed requirements file;
    /// empty finds the one pylock.toml, pylock.*.toml or hashed requirements file of the project folder.
    /// </summary>
    public string? PythonLockFile { get; init; }
}

/// <summary>An input file: <paramref name="Link"/> overrides its path inside the app, as in .NET projects.</summary>
public sealed record InputFile(string ItemType, string Path, string? Link = null)
{
    /// <summary>The file's full path and its path inside the app (the Link, else its path relative to <paramref name="root"/>), not yet checked.</summary>
    public (string FullPath, string AppPath) Locate(string root)
    {
        string full = System.IO.Path.GetFullPath(Path, root);
        return (full, !string.IsNullOrWhiteSpace(Link)
            ? Link!.Replace('\\', '/').TrimStart('/')
            : System.IO.Path.GetRelativePath(root, full).Replace('\\', '/'));
    }
}
