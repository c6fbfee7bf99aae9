using PyContainer.Model;

namespace PyContainer.Settings;

/// <summary>
/// The app as the project states it: raw strings from properties and items, not yet validated.
/// <see cref="PythonAppResolver.Resolve"/> turns it into the validated model or fails with a coded error.
/// </summary>
public sealed record PythonAppSettings
{
    public required string ProjectDirectory { get; init; }

    public required string ProjectName { get; init; }

    /// <summary>Python sources and content files; <see cref="InputFile.ItemType"/> names the item in errors.</summary>
    public IList<InputFile> Files { get; init; } = [];

    public IList<string> RequirementsFiles { get; init; } = [];

    public IList<string> Requirements { get; init; } = [];

    public string? PythonVersion { get; init; }

    public string? BaseImage { get; init; }

    public string? BuilderImage { get; init; }

    public string? WsgiApp { get; init; }

    public string? Script { get; init; }

    public string? Module { get; init; }

    public string? AsgiApp { get; init; }

    /// <summary>gunicorn (default), twisted or waitress for WSGI apps; uvicorn serves ASGI apps.</summary>
    public string? WsgiServer { get; init; }

    public string? DjangoSettingsModule { get; init; }

    public bool DjangoCollectStatic { get; init; }

    /// <summary>Apply migrations when the container starts (default on for Django apps).</summary>
    public bool? DjangoMigrate { get; init; }

    /// <summary>Fixtures loaded after the migrations when the container starts with PYCONTAINER_LOAD_FIXTURES=1.</summary>
    public IList<string> DjangoFixtures { get; init; } = [];

    /// <summary>wheels (default), venv or pex.</summary>
    public string? InstallStrategy { get; init; }

    /// <summary>False for engines without BuildKit: the Dockerfile then avoids RUN --mount.</summary>
    public bool BuildKit { get; init; } = true;

    /// <summary>A folder (relative to the project) with pyproject.toml or setup.py, built and installed as a package.</summary>
    public string? PythonProjectDirectory { get; init; }

    public string? HealthCheckPath { get; init; }

    public IList<string> AppCommand { get; init; } = [];

    public IList<NamedValue> Ports { get; init; } = [];

    public IList<NamedValue> EnvironmentVariables { get; init; } = [];

    public IList<NamedValue> Labels { get; init; } = [];

    public string? User { get; init; }

    public string? WorkingDirectory { get; init; }

    public IList<string> BuildPackages { get; init; } = [];

    public IList<string> RuntimePackages { get; init; } = [];

    public string? PackageIndexUrl { get; init; }

    public string? ExtraPackageIndexUrl { get; init; }

    public string? Generator { get; init; }

    /// <summary>ContainerWritableDirectory items: folders the app writes, owned by the runtime user.</summary>
    public IList<WritableDirectorySetting> WritableDirectories { get; init; } = [];

    /// <summary>ContainerStartupStep items, in order: commands run before the server.</summary>
    public IList<StartupStepSetting> StartupSteps { get; init; } = [];

    /// <summary>PythonEntryPointCheck: import and resolve the entry point at build time (default on).</summary>
    public bool EntryPointCheck { get; init; } = true;
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
