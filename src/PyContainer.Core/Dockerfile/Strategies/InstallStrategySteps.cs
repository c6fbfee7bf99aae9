using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Dockerfile.Strategies;

/// <summary>
/// What one <see cref="InstallStrategy"/> writes into the Dockerfile: its builder steps, its runner steps and the
/// command prefix of the app, like <see cref="OsPackageManager"/> does for apk and apt. The stages write what all
/// strategies share and ask the strategy for the rest; a new strategy is one class here and one line in <see cref="For"/>.
/// </summary>
internal abstract class InstallStrategySteps(PythonApp app, bool buildKit)
{
    public const string VenvPath = "/opt/venv";
    public const string WheelDirectory = "/wheels";

    /// <summary>The project's own wheel, apart from its dependencies' (see <see cref="BuildsProjectAlone"/>).</summary>
    public const string ProjectWheelDirectory = "/project-wheel";

    /// <summary>The builder's venv with the project's build backend (`[build-system].requires`), made before its sources.</summary>
    public const string BuildEnvPath = "/opt/build-env";

    /// <summary>
    /// An empty venv: no pip, setuptools or wheel (the base image's pip installs into it from outside), and no
    /// activate scripts, which nothing in a container runs (PATH points into the venv instead).
    /// </summary>
    protected static readonly string[] CreateVenv =
    [
        $"python3 -m venv --without-pip {VenvPath}",
        $"rm -f {VenvPath}/bin/activate* {VenvPath}/bin/Activate.ps1",
    ];

    /// <summary>
    /// The steps of the app's strategy for a builder with or without BuildKit. The one fallback rule: wheels install
    /// through RUN --mount, which the legacy builder lacks, so without BuildKit they travel in a copied venv
    /// instead (which leaves no wheel in any layer either).
    /// </summary>
    public static InstallStrategySteps For(PythonApp app, bool buildKit) => app.InstallStrategy switch
    {
        InstallStrategy.Wheels when buildKit => new WheelsStrategy(app),
        InstallStrategy.Wheels or InstallStrategy.Venv => new VenvStrategy(app, buildKit),
        InstallStrategy.Pex => new PexStrategy(app, buildKit),
        _ => throw new ArgumentOutOfRangeException(nameof(app)),
    };

    /// <summary>PYC2002 when the app asked for a strategy that this builder cannot run (see <see cref="For"/>).</summary>
    public IReadOnlyList<(string Code, string Message)> Warnings => Kind == App.InstallStrategy
        ? []
        : [(Errors.LegacyBuilderFallback, Errors.Create(Errors.LegacyBuilderFallback).Message)];

    public PythonApp App { get; } = app;

    /// <summary>Whether the Dockerfile may use RUN --mount (false for the legacy builder).</summary>
    public bool BuildKit { get; } = buildKit;

    /// <summary>The strategy these steps carry out.</summary>
    public abstract InstallStrategy Kind { get; }

    public bool NeedsBuilder => App.Requirements.Count > 0 || App.IsPythonProject;

    /// <summary>
    /// A Python project is built into wheels apart from its dependencies and installed from them (see
    /// <see cref="ProjectSplit"/>); not for pex, which packs everything into one file anyway.
    /// </summary>
    public virtual bool SeparatesProject => App.IsPythonProject;

    /// <summary>
    /// A project whose dependencies are known before a build (static in pyproject.toml) has them built from the
    /// requirements file, before the sources are copied, and itself built alone afterwards, into a folder of its
    /// own that the runner installs in a step of its own: a source change then re-runs only that step, and every
    /// dependency layer is reused. Not where there is no dependency at all (nothing to reuse).
    /// </summary>
    public bool BuildsProjectAlone =>
        SeparatesProject && App.ProjectDependencies is { } dependencies && App.Requirements.Count + dependencies.Count > 0;

    /// <summary>
    /// A project built alone whose pyproject.toml names its build backend gets that backend installed once, in a
    /// venv of the builder's, before its sources: a source change then builds the project's wheel in it
    /// (`--no-build-isolation`) instead of pip making a fresh isolated build environment each time (about 1.2 s).
    /// </summary>
    public bool PreparesBuildBackend => BuildsProjectAlone && App.ProjectBuildRequirements is { Count: > 0 };

    /// <summary>
    /// What the builder installs before it sees the app's files: the requirements and, when the project is built
    /// alone, the dependencies its pyproject.toml declares.
    /// </summary>
    public IReadOnlyList<string> RequirementLines => BuildsProjectAlone ? [.. App.Requirements, .. App.ProjectDependencies!] : App.Requirements;

    /// <summary>The app's command starts with this (the pex), or null when the entry point's own program starts it.</summary>
    public virtual IReadOnlyList<string>? CommandPrefix => null;

    /// <summary>Console scripts (twist, waitress-serve) do not put the working directory on sys.path as `python -m` does.</summary>
    public virtual bool NeedsPythonPath => true;

    /// <summary>Builder tools the strategy needs before any Python step.</summary>
    public virtual void WriteBuilderTools(DockerfileWriter writer)
    {
    }

    /// <summary>The builder's commands that install <paramref name="what"/> (pip's arguments) the strategy's way.</summary>
    public abstract IReadOnlyList<string> InstallInBuilder(string what);

    /// <summary>
    /// The project's build: its wheel apart from its dependencies' (see <see cref="ProjectSplit"/>), and the app's
    /// files without the packaged ones. The strategy adds how the project's wheels are installed.
    /// </summary>
    public virtual void WriteProjectBuild(DockerfileWriter writer, IReadOnlyList<string>? cache)
    {
        writer.Copy(ProjectSplit.ScriptContextPath, ProjectSplit.ScriptPath)
            .Copy(GeneratedContext.AppContextDirectory + "/", "/src/app/");
        string split = ProjectSplit.SplitCommand(ProjectWheelDirectory, WheelDirectory);
        List<string> commands = BuildsProjectAlone
            ? [ProjectSplit.CopySources, WheelProjectAlone, .. InstallBuiltProject(alone: true), split]
            // After the split: only then does the dependencies' folder hold nothing but dependencies.
            : [ProjectSplit.CopySources, .. ProjectSplit.WheelProjectThenDependencies(ProjectWheelDirectory, WheelDirectory), split, .. InstallBuiltProject(alone: false)];
        writer.Run(commands, cache);
    }

    /// <summary>What the builder installs of the built project (<paramref name="alone"/>: without its dependencies).</summary>
    protected virtual IEnumerable<string> InstallBuiltProject(bool alone) => [];

    /// <summary>The builder's last steps, after the project's.</summary>
    public virtual void WriteBuilderResult(DockerfileWriter writer)
    {
    }

    /// <summary>The runner's dependencies: what the builder made, installed or copied, and the venv first on PATH.</summary>
    public virtual void WriteRunnerDependencies(DockerfileWriter writer)
    {
        if (NeedsBuilder)
        {
            WriteBuiltDependencies(writer);
        }
        else
        {
            writer.Run(CreateVenv);
        }

        // Only now does the venv come first on PATH: the install above needs the base image's python3 and pip.
        writer.Env(RunnerEnvironment)
            .EnvExpanded("PATH", $"{PathPrefix}:$PATH");
    }

    /// <summary>The runner's ENV once the dependencies are in place (see RunnerConfiguration.DependencyEnvironment).</summary>
    public virtual IReadOnlyList<NamedValue> RunnerEnvironment => [new("VIRTUAL_ENV", VenvPath)];

    /// <summary>What the runner's PATH puts before the base image's, or null when it keeps the base's PATH.</summary>
    public virtual string? PathPrefix => $"{VenvPath}/bin";

    /// <summary>How the builder's result reaches the runner's venv.</summary>
    protected virtual void WriteBuiltDependencies(DockerfileWriter writer)
    {
    }

    /// <summary>The app's files in the runner, and the commands that prepare them at build time (added to <paramref name="prepare"/>).</summary>
    public virtual void WriteApp(DockerfileWriter writer, List<string> prepare)
    {
        if (SeparatesProject)
        {
            // The project's files but the packaged ones, which the venv holds already.
            writer.Copy(ProjectSplit.AppFilesDirectory + "/", App.WorkingDirectory + "/", "--from=builder");
        }
        else
        {
            (string source, string target) = RunnerConfiguration.AppFolderOf(App.WorkingDirectory);
            writer.Copy(source, target);
        }

        prepare.Add($"python3 -m compileall -q {App.WorkingDirectory}");
        if (App.DjangoCollectStatic)
        {
            prepare.Add("python3 manage.py collectstatic --noinput");
        }
    }

    /// <summary>The check stage's environment: the server's console script must be installed too (see <see cref="EntryPointCheck"/>).</summary>
    public virtual void WriteCheckEnvironment(DockerfileWriter writer)
    {
        if (App.EntryPoint.IsWebApp)
        {
            EntryPointCheck.WriteServerEnvironment(writer, App.EntryPoint.Server);
        }
    }

    private string WheelProjectAlone => PreparesBuildBackend
        ? $"{BuildEnvPath}/bin/python -m pip wheel --no-build-isolation --wheel-dir {ProjectWheelDirectory} --no-deps /src/app"
        : $"python3 -m pip wheel --wheel-dir {ProjectWheelDirectory} --no-deps /src/app";

    /// <summary>pip's wheel build into the folder the runner or the pex takes them from.</summary>
    protected static string BuildWheels(string what) => $"python3 -m pip wheel --wheel-dir {WheelDirectory} {what}";
}
