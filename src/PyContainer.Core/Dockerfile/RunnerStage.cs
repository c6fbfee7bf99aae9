using System.Globalization;
using PyContainer.Dockerfile.Strategies;
using PyContainer.Model;

namespace PyContainer.Dockerfile;

/// <summary>
/// The slim "runner" stage: the runtime OS packages, the dependencies as the strategy brings them, the container's
/// environment, the app, and how it starts. Dependency layers come before source layers, so a source-only change
/// reuses every dependency layer.
/// </summary>
internal static class RunnerStage
{
    private const string EntrypointPath = "/opt/pycontainer/entrypoint.sh";

    public static void Write(DockerfileWriter writer, InstallStrategySteps steps, bool hasEntrypointScript)
    {
        PythonApp app = steps.App;
        writer.From(app.UsesDefaultImages ? "python:${PYTHON_VERSION}-slim" : app.RunnerImage.ToString(), "runner")
            .Env(
            [
                new("PYTHONUNBUFFERED", "1"),
                new("PYTHONDONTWRITEBYTECODE", "1"),
            ]);
        if (app.RuntimePackages.Count > 0)
        {
            writer.Run(OsPackageManager.For(app.RunnerImage).Install(app.RuntimePackages));
        }

        // Before anything that changes with the app: WORKDIR makes a layer (the folder, with its time) anew
        // whenever a step above it re-runs.
        writer.WorkDir(app.WorkingDirectory);
        steps.WriteRunnerDependencies(writer);
        // The container's environment before the app: build-time steps (collectstatic, the entry-point check)
        // read the same settings the container will.
        writer.Env(Environment(steps));
        if (hasEntrypointScript)
        {
            writer.Copy(GeneratedContext.EntrypointContextPath, EntrypointPath);
        }

        // Writable folders exist before the app's build-time steps, which may write there (graphite-web's
        // settings open their log file at import), and are the runtime user's after them.
        var prepare = new List<string>(WritableDirectoryCommands(app, owner: false));
        steps.WriteApp(writer, prepare);
        prepare.AddRange(WritableDirectoryCommands(app, owner: true));
        writer.Run(prepare);

        writer.Label(app.Labels.Select(l => new KeyValuePair<string, string>(l.Name, l.Value)));
        if (app.Ports.Count > 0)
        {
            writer.Expose(app.Ports.Select(p => p.ToString()));
        }

        if (app.HealthCheckPath is { } path)
        {
            writer.HealthCheck(["python3", "-c", $"import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '{path}', timeout=3)"]);
        }

        if (app.WritableDirectories.Where(d => d.Volume).Select(d => d.Path).ToList() is { Count: > 0 } volumes)
        {
            // After the RUN that made them: the legacy builder drops changes to a volume made after VOLUME.
            writer.Volume(volumes);
        }

        writer.User(app.User);
        if (hasEntrypointScript)
        {
            writer.Entrypoint(["sh", EntrypointPath]);
        }

        writer.Cmd(StartCommand.For(steps));
    }

    private static List<KeyValuePair<string, string>> Environment(InstallStrategySteps steps)
    {
        PythonApp app = steps.App;
        var environment = new List<KeyValuePair<string, string>>();
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

        environment.AddRange(app.EnvironmentVariables.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)));
        return environment;
    }

    /// <summary>
    /// `mkdir` of the folders the app writes, or (<paramref name="owner"/>) their `chown` to the runtime user;
    /// everything else (the app under its working directory included) stays root's, read-only to that user.
    /// Paths and user are validated patterns.
    /// </summary>
    private static IEnumerable<string> WritableDirectoryCommands(PythonApp app, bool owner)
    {
        if (app.WritableDirectories.Count == 0)
        {
            return [];
        }

        string paths = string.Join(" ", app.WritableDirectories.Select(d => d.Path));
        return [owner ? $"chown -R {app.User} {paths}" : $"mkdir -p {paths}"];
    }
}
