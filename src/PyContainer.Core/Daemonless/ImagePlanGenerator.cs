using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Dockerfile.Strategies;
using PyContainer.Model;

namespace PyContainer.Daemonless;

/// <summary>
/// The daemonless mode's <see cref="ImagePlan"/> of an app: the runner stage's <see cref="RunnerConfiguration"/> (the
/// one the Dockerfile is written from), the base image and the lock. Refuses (PYC1051) what only a command run
/// while building can do.
/// </summary>
public static class ImagePlanGenerator
{
    public static ImagePlan Generate(PythonApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        CheckNoRunSteps(app);
        var steps = InstallStrategySteps.For(app, app.BuildKit);
        RunnerConfiguration config = RunnerConfiguration.For(steps, EntrypointScript.For(app) is not null);
        var files = new List<PlannedFile>();
        if (config.EntrypointScript is { } script)
        {
            // Read by `sh`, so it keeps the context's 0644 as the Dockerfile's COPY does.
            files.Add(new PlannedFile(script.Source, script.Target, Executable: false));
        }

        files.Add(new PlannedFile(config.AppFolder.Source, config.AppFolder.Target, Executable: false));
        return new ImagePlan
        {
            BaseImage = app.RunnerImage.ToString(),
            PythonVersion = app.RequestedPythonVersion,
            Libc = app.BaseImageLibc,
            LockFile = app.LockFile is { } lockFile ? ImagePlan.LockContextPath(lockFile) : null,
            VirtualEnvironment = InstallStrategySteps.VenvPath,
            WorkingDirectory = config.WorkingDirectory,
            User = config.User,
            Environment = config.Environment.ToList(),
            PathPrefix = config.PathPrefix ?? "",
            ExposedPorts = config.ExposedPorts,
            Volumes = config.Volumes,
            Labels = config.Labels,
            HealthCheck = config.HealthCheck is { } check
                ? new PlannedHealthCheck(["CMD", .. check.Command], check.Interval, check.Timeout, check.StartPeriod, check.Retries)
                : null,
            Entrypoint = config.Entrypoint,
            Cmd = config.Cmd,
            Files = files,
            WritableDirectories = config.WritableDirectories,
        };
    }

    /// <summary>
    /// PYC1051 naming everything that needs a command run while building (the Dockerfile's RUN steps other than
    /// the venv's install, which the daemonless builder does itself, and compileall, which it leaves out).
    /// </summary>
    internal static void CheckNoRunSteps(PythonApp app)
    {
        var needs = new List<string>();
        if (app.RuntimePackages.Count > 0)
        {
            needs.Add($"the ContainerRuntimePackage items ({string.Join(", ", app.RuntimePackages)}) are installed by the base image's package manager");
        }

        if (app.BuildPackages.Count > 0)
        {
            needs.Add($"the ContainerBuildPackage items ({string.Join(", ", app.BuildPackages)}) serve builds from source, and the daemonless mode installs wheels only");
        }

        if (app.InstallStrategy == InstallStrategy.Pex)
        {
            needs.Add("PythonInstallStrategy=pex builds the pex and unpacks it at build time (use wheels or venv)");
        }
        else if (app.IsPythonProject)
        {
            needs.Add("PythonProjectDirectory: the project is built into a wheel by its build backend");
        }

        if (app.DjangoCollectStatic)
        {
            needs.Add("PythonDjangoCollectStatic=true runs manage.py collectstatic");
        }

        if (app.WritableDirectories.Count > 0 && !IsNumericUser(app.User))
        {
            needs.Add($"ContainerUser '{app.User}' is a name, and the ContainerWritableDirectory folders are given to it with chown (a numeric uid[:gid], such as the default 10001, needs no command)");
        }

        if (needs.Count > 0)
        {
            throw Errors.Create(Errors.DaemonlessNeedsRun, string.Join("; ", needs));
        }
    }

    private static bool IsNumericUser(string user) =>
        user.Split(':') is { Length: 1 or 2 } parts && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
}
