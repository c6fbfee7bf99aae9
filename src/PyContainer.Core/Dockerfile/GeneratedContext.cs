namespace PyContainer.Dockerfile;

/// <summary>
/// Everything <see cref="DockerfileGenerator"/> makes for one app: the Dockerfile, its legacy twin when the
/// Dockerfile needs BuildKit, and the generated files the Dockerfile copies, each named by what it is. The
/// build context and the task read only this; <see cref="Files"/> says where each file sits in the context.
/// </summary>
public sealed record GeneratedContext
{
    public const string DockerfileName = "Dockerfile";

    /// <summary>The Dockerfile built where the engine has no BuildKit.</summary>
    public const string LegacyDockerfileName = "Dockerfile.legacy";

    /// <summary>Where the merged requirements file sits in the build context.</summary>
    public const string RequirementsContextPath = "pycontainer/requirements.txt";

    public const string BuildRequirementsContextPath = "pycontainer/build-requirements.txt";

    /// <summary>Where the generated start script sits in the build context.</summary>
    public const string EntrypointContextPath = "pycontainer/entrypoint.sh";

    /// <summary>Where the app's files sit in the build context.</summary>
    public const string AppContextDirectory = "app";

    public required string Dockerfile { get; init; }

    /// <summary>The Dockerfile for engines without BuildKit (no RUN --mount), or null when <see cref="Dockerfile"/> is one already.</summary>
    public string? LegacyDockerfile { get; init; }

    /// <summary>The requirements the builder installs before it sees the app's files, one a line; null when there are none.</summary>
    public string? Requirements { get; init; }

    /// <summary>The project's build backend, installed once before its sources; null when it is not.</summary>
    public string? BuildRequirements { get; init; }

    /// <summary>The builder's script that separates a project from its dependencies; null when none is built.</summary>
    public string? ProjectSplitScript { get; init; }

    /// <summary>The start script (startup steps, then the server); null without startup steps.</summary>
    public string? EntrypointScript { get; init; }

    /// <summary>The script of the entry-point check stage; null when the check is off.</summary>
    public string? EntryPointCheckScript { get; init; }

    /// <summary>The daemonless builder's plan (JSON, see Daemonless.ImagePlan); null in the Dockerfile mode.</summary>
    public string? ImagePlan { get; init; }

    /// <summary>Warnings found while generating, as (code, message).</summary>
    public IReadOnlyList<(string Code, string Message)> Warnings { get; init; } = [];

    /// <summary>Each generated file by its path in the build context, the Dockerfiles first.</summary>
    public IEnumerable<KeyValuePair<string, string>> Files
    {
        get
        {
            var files = new (string Path, string? Text)[]
            {
                (DockerfileName, Dockerfile),
                (LegacyDockerfileName, LegacyDockerfile),
                (RequirementsContextPath, Requirements),
                (BuildRequirementsContextPath, BuildRequirements),
                (ProjectSplit.ScriptContextPath, ProjectSplitScript),
                (EntrypointContextPath, EntrypointScript),
                (EntryPointCheck.ScriptContextPath, EntryPointCheckScript),
                (Daemonless.ImagePlan.ContextPath, ImagePlan),
            };
            return files.Where(f => f.Text is not null).Select(f => new KeyValuePair<string, string>(f.Path, f.Text!));
        }
    }
}
