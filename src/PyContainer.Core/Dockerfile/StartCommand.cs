using PyContainer.Dockerfile.Strategies;
using PyContainer.Model;

namespace PyContainer.Dockerfile;

/// <summary>The container's command (CMD) in exec form: the strategy's prefix or the entry point's program, and its arguments.</summary>
internal static class StartCommand
{
    /// <summary>
    /// Servers that cannot read $PORT themselves get it through `sh -c`; every word in such a line is a validated
    /// module path, so nothing in it needs quoting.
    /// </summary>
    public static IReadOnlyList<string> For(PythonApp app) => For(InstallStrategySteps.For(app, app.BuildKit));

    public static IReadOnlyList<string> For(InstallStrategySteps steps)
    {
        EntryPoint entryPoint = steps.App.EntryPoint;
        if (entryPoint.Kind == EntryPointKind.Command)
        {
            return entryPoint.Arguments;
        }

        string target = entryPoint.Value;
        IReadOnlyList<string> arguments = entryPoint.Kind switch
        {
            EntryPointKind.Script => [target],
            EntryPointKind.Module => [],
            _ => ServerArguments(entryPoint),
        };

        List<string> command = steps.CommandPrefix is { } prefix ? [.. prefix]
            : entryPoint.IsWebApp ? [ServerScript(entryPoint.Server)]
            : entryPoint.Kind == EntryPointKind.Module ? ["python3", "-m", target]
            : ["python3"];
        command.AddRange(arguments);
        return command.Any(a => a.Contains("${PORT}", StringComparison.Ordinal))
            ? ["sh", "-c", "exec " + string.Join(" ", command)]
            : command;
    }

    /// <summary>
    /// The console script that starts each server. Console scripts call the server's function directly, unlike
    /// `python -m twisted`, which looks itself up through pkg_resources and fails on imperfect metadata.
    /// </summary>
    public static string ServerScript(WebServer server) => server switch
    {
        WebServer.Gunicorn => "gunicorn",
        WebServer.Twisted => "twist",
        WebServer.Waitress => "waitress-serve",
        WebServer.Uvicorn => "uvicorn",
        _ => throw new ArgumentOutOfRangeException(nameof(server)),
    };

    /// <summary>
    /// Each server's arguments: 0.0.0.0:$PORT (gunicorn reads PORT itself), a factory `module:create_app()` as the
    /// server calls one (gunicorn as is, waitress --call, uvicorn --factory; twisted cannot, see ServerRules).
    /// Gunicorn's worker heartbeat goes to /dev/shm, a tmpfs in every container, so /tmp may be read-only.
    /// </summary>
    private static IReadOnlyList<string> ServerArguments(EntryPoint entryPoint)
    {
        string target = entryPoint.Value;
        string callable = entryPoint.IsFactory ? target[..^2] : target;
        return entryPoint.Server switch
        {
            WebServer.Gunicorn => ["--worker-tmp-dir", "/dev/shm", target],
            WebServer.Twisted => ["web", "--listen", "tcp:${PORT}", "--wsgi", target.Replace(':', '.')],
            WebServer.Waitress => ["--listen=0.0.0.0:${PORT}", .. entryPoint.IsFactory ? ["--call", callable] : new[] { target }],
            WebServer.Uvicorn => ["--host", "0.0.0.0", "--port", "${PORT}", .. entryPoint.IsFactory ? ["--factory", callable] : new[] { target }],
            _ => throw new ArgumentOutOfRangeException(nameof(entryPoint)),
        };
    }
}
