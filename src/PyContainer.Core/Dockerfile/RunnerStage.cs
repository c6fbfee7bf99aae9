using PyContainer.Dockerfile.Strategies;
using PyContainer.Model;

namespace PyContainer.Dockerfile;

/// <summary>
/// The slim "runner" stage: the runtime OS packages, the dependencies as the strategy brings them, the container's
/// environment, the app, and how it starts, as its <see cref="RunnerConfiguration"/> says (the daemonless plan reads
/// the same). Dependency layers come before source layers, so a source-only change reuses every dependency layer.
/// </summary>
internal static class RunnerStage
{
    /// <summary>The stage's name; its FROM image is the one the finished image is built on.</summary>
    public const string Name = "runner";

    public static void Write(DockerfileWriter writer, InstallStrategySteps steps, bool hasEntrypointScript)
    {
        PythonApp app = steps.App;
        RunnerConfiguration config = RunnerConfiguration.For(steps, hasEntrypointScript);
        writer.From(app.UsesDefaultImages ? "python:${PYTHON_VERSION}-slim" : app.RunnerImage.ToString(), Name)
            .Env(config.BaseEnvironment);
        if (app.RuntimePackages.Count > 0)
        {
            writer.Run(OsPackageManager.For(app.RunnerImage).Install(app.RuntimePackages));
        }

        // Before anything that changes with the app: WORKDIR makes a layer (the folder, with its time) anew
        // whenever a step above it re-runs.
        writer.WorkDir(config.WorkingDirectory);
        // The strategy's dependencies, then its ENV (config.DependencyEnvironment and config.PathPrefix).
        steps.WriteRunnerDependencies(writer);
        // The container's environment before the app: build-time steps (collectstatic, the entry-point check)
        // read the same settings the container will.
        writer.Env(config.AppEnvironment);
        if (config.EntrypointScript is { } script)
        {
            writer.Copy(script.Source, script.Target);
        }

        // Writable folders exist before the app's build-time steps, which may write there (graphite-web's
        // settings open their log file at import), and are the runtime user's after them.
        var prepare = new List<string>(WritableDirectoryCommands(config, owner: false));
        steps.WriteApp(writer, prepare);
        prepare.AddRange(WritableDirectoryCommands(config, owner: true));
        writer.Run(prepare);

        writer.Label(config.Labels);
        if (config.ExposedPorts.Count > 0)
        {
            writer.Expose(config.ExposedPorts);
        }

        if (config.HealthCheck is { } healthCheck)
        {
            writer.HealthCheck(healthCheck);
        }

        if (config.Volumes.Count > 0)
        {
            // After the RUN that made them: the legacy builder drops changes to a volume made after VOLUME.
            writer.Volume(config.Volumes);
        }

        writer.User(config.User);
        if (config.Entrypoint is { } entrypoint)
        {
            writer.Entrypoint(entrypoint);
        }

        writer.Cmd(config.Cmd);
    }

    /// <summary>
    /// `mkdir` of the folders the app writes, or (<paramref name="owner"/>) their `chown` to the runtime user;
    /// everything else (the app under its working directory included) stays root's, read-only to that user.
    /// Paths and user are validated patterns.
    /// </summary>
    private static IEnumerable<string> WritableDirectoryCommands(RunnerConfiguration config, bool owner)
    {
        if (config.WritableDirectories.Count == 0)
        {
            return [];
        }

        string paths = string.Join(" ", config.WritableDirectories);
        return [owner ? $"chown -R {config.User} {paths}" : $"mkdir -p {paths}"];
    }
}
