using System.Globalization;
using PyContainer.Dockerfile.Strategies;
using PyContainer.Model;

namespace PyContainer.Dockerfile;

/// <summary>The runner's HEALTHCHECK: the command (exec form, without Docker's "CMD") and its timings.</summary>
internal sealed record RunnerHealthCheck(IReadOnlyList<string> Command, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, int Retries);

/// <summary>
/// What the runner image's configuration holds, decided once: the environment in the order its ENV instructions set
/// it, PATH, working folder, user, labels, ports, health check, volumes, entrypoint and command, and the files copied
/// from the context. <see cref="RunnerStage"/> writes it as Dockerfile instructions and
/// <see cref="Daemonless.ImagePlanGenerator"/> as the daemonless builder's plan, so both modes give the same config.
/// </summary>
internal sealed record RunnerConfiguration
{
    /// <summary>Where the start script (startup steps, then the command) goes in the image.</summary>
    public const string EntrypointPath = "/opt/pycontainer/entrypoint.sh";

    /// <summary>The runner's first ENV: output unbuffered (logs appear at once), no bytecode written at run time.</summary>
    public required IReadOnlyList<NamedValue> BaseEnvironment { get; init; }

    /// <summary>The strategy's ENV once the dependencies are in place (VIRTUAL_ENV, or PEX_ROOT for a pex).</summary>
    public required IReadOnlyList<NamedValue> DependencyEnvironment { get; init; }

    /// <summary>What PATH puts before the base image's PATH ("/opt/venv/bin"), or null when it keeps the base's.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>The container's own environment: PORT, PYTHONPATH, DJANGO_SETTINGS_MODULE, then the project's variables.</summary>
    public required IReadOnlyList<NamedValue> AppEnvironment { get; init; }

    public required string WorkingDirectory { get; init; }

    public required string User { get; init; }

    public required IReadOnlyList<NamedValue> Labels { get; init; }

    /// <summary>As "8000/tcp".</summary>
    public required IReadOnlyList<string> ExposedPorts { get; init; }

    public RunnerHealthCheck? HealthCheck { get; init; }

    /// <summary>The writable folders declared VOLUME.</summary>
    public required IReadOnlyList<string> Volumes { get; init; }

    /// <summary>Every folder the runtime user may write: created at build time and given to <see cref="User"/>.</summary>
    public required IReadOnlyList<string> WritableDirectories { get; init; }

    /// <summary>ENTRYPOINT when the app has startup steps; null keeps the base image's.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public required IReadOnlyList<string> Cmd { get; init; }

    /// <summary>The start script's copy (context path, path in the image), or null without startup steps.</summary>
    public (string Source, string Target)? EntrypointScript { get; init; }

    /// <summary>The app's files: the context's app folder into the working folder.</summary>
    public (string Source, string Target) AppFolder => AppFolderOf(WorkingDirectory);

    /// <summary>The whole ENV of the runner in order (base, dependencies, app), PATH apart (see <see cref="PathPrefix"/>).</summary>
    public IEnumerable<NamedValue> Environment => BaseEnvironment.Concat(DependencyEnvironment).Concat(AppEnvironment);

    public static (string Source, string Target) AppFolderOf(string workingDirectory) =>
        (GeneratedContext.AppContextDirectory + "/", workingDirectory + "/");

    public static RunnerConfiguration For(InstallStrategySteps steps, bool hasEntrypointScript)
    {
        PythonApp app = steps.App;
        return new RunnerConfiguration
        {
            BaseEnvironment = [new("PYTHONUNBUFFERED", "1"), new("PYTHONDONTWRITEBYTECODE", "1")],
            DependencyEnvironment = steps.RunnerEnvironment,
            PathPrefix = steps.PathPrefix,
            AppEnvironment = AppEnvironmentOf(steps),
            WorkingDirectory = app.WorkingDirectory,
            User = app.User,
            Labels = app.Labels,
            ExposedPorts = app.Ports.Select(p => p.ToString()).ToList(),
            HealthCheck = app.HealthCheckPath is { } path ? HealthCheckOf(path) : null,
            // After the RUN that made them (see RunnerStage): the legacy builder drops changes to a volume made after VOLUME.
            Volumes = app.WritableDirectories.Where(d => d.Volume).Select(d => d.Path).ToList(),
            WritableDirectories = app.WritableDirectories.Select(d => d.Path).ToList(),
            Entrypoint = hasEntrypointScript ? ["sh", EntrypointPath] : null,
            Cmd = StartCommand.For(steps),
            EntrypointScript = hasEntrypointScript ? (GeneratedContext.EntrypointContextPath, EntrypointPath) : null,
        };
    }

    /// <summary>A request to the app's own port on loopback, with Python's standard library (no curl in slim images).</summary>
    private static RunnerHealthCheck HealthCheckOf(string path) => new(
        ["python3", "-c", $"import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '{path}', timeout=3)"],
        Interval: TimeSpan.FromSeconds(30),
        Timeout: TimeSpan.FromSeconds(5),
        StartPeriod: TimeSpan.FromSeconds(10),
        Retries: 3);

    private static List<NamedValue> AppEnvironmentOf(InstallStrategySteps steps)
    {
        PythonApp app = steps.App;
        var environment = new List<NamedValue>();
        if (app.Ports.Count > 0)
        {
            // Whatever the entry point: servers bind 0.0.0.0:$PORT, and `docker run -e PORT=...` moves them without a rebuild.
            environment.Add(new("PORT", app.Ports[0].Number.ToString(CultureInfo.InvariantCulture)));
        }

        if (steps.NeedsPythonPath)
        {
            environment.Add(new("PYTHONPATH", app.WorkingDirectory));
        }

        if (app.DjangoSettingsModule is { } settings)
        {
            environment.Add(new("DJANGO_SETTINGS_MODULE", settings));
        }

        environment.AddRange(app.EnvironmentVariables);
        return environment;
    }
}
