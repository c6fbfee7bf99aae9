namespace PyContainer.Model;

public enum EntryPointKind
{
    /// <summary>A WSGI callable, <c>module:app</c>, served by a WSGI server.</summary>
    Wsgi,

    /// <summary>An ASGI callable, <c>module:app</c>, served by uvicorn.</summary>
    Asgi,

    /// <summary>A Django project: its WSGI application, migrations at start, optional collectstatic at build.</summary>
    Django,

    /// <summary>A Python script run with the interpreter.</summary>
    Script,

    /// <summary>A module run with <c>python -m</c>.</summary>
    Module,

    /// <summary>An explicit command line, taken as given.</summary>
    Command,
}

/// <summary>The server that runs a WSGI or ASGI app, by the module that starts it.</summary>
public enum WebServer
{
    Gunicorn,
    Twisted,
    Waitress,
    Uvicorn,
}

/// <summary>How the container starts the app; made by the factory of its kind, so each kind has exactly its members.</summary>
public sealed record EntryPoint
{
    private EntryPoint(EntryPointKind kind, string value, WebServer server)
    {
        Kind = kind;
        Value = value;
        Server = server;
    }

    public EntryPointKind Kind { get; }

    /// <summary>The app (module:callable, Django's WSGI app), script path, module name, or the command's program.</summary>
    public string Value { get; }

    /// <summary>The server of a web app (gunicorn for entry points that have none).</summary>
    public WebServer Server { get; }

    /// <summary>The command line of a <see cref="EntryPointKind.Command"/>, as given; empty for the other kinds.</summary>
    public IReadOnlyList<string> Arguments { get; private init; } = [];

    /// <summary>The settings module of a <see cref="EntryPointKind.Django"/> project; null for the other kinds.</summary>
    public string? DjangoSettingsModule { get; private init; }

    public bool IsWebApp => Kind is EntryPointKind.Wsgi or EntryPointKind.Asgi or EntryPointKind.Django;

    /// <summary>The property that set this entry point, for errors ("PythonWsgiApp", "PythonAsgiApp (detected)", ...).</summary>
    public string Property { get; init; } = "";

    /// <summary>The property name alone, without a note such as "(detected)".</summary>
    public string PropertyName => Property.Split(' ')[0] is { Length: > 0 } property ? property : "PythonWsgiApp";

    /// <summary>A web app named as a factory, <c>module:create_app()</c>: the server calls it to get the app.</summary>
    public bool IsFactory => IsWebApp && Value.EndsWith("()", StringComparison.Ordinal);

    public static EntryPoint Wsgi(string app, WebServer server) => new(EntryPointKind.Wsgi, app, server);

    public static EntryPoint Asgi(string app) => new(EntryPointKind.Asgi, app, WebServer.Uvicorn);

    public static EntryPoint Django(string wsgiApp, string settingsModule, WebServer server) =>
        new(EntryPointKind.Django, wsgiApp, server) { DjangoSettingsModule = settingsModule };

    public static EntryPoint Script(string path) => new(EntryPointKind.Script, path, WebServer.Gunicorn);

    public static EntryPoint Module(string module) => new(EntryPointKind.Module, module, WebServer.Gunicorn);

    /// <param name="arguments">The command line, at least its program.</param>
    public static EntryPoint Command(IReadOnlyList<string> arguments) =>
        new(EntryPointKind.Command, arguments[0], WebServer.Gunicorn) { Arguments = arguments };
}
