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

/// <summary>How the container starts the app.</summary>
/// <param name="Values">The app (module:callable), script path, module name, or the command's arguments.</param>
public sealed record EntryPoint(EntryPointKind Kind, IReadOnlyList<string> Values, WebServer Server = WebServer.Gunicorn)
{
    public string Value => Values[0];

    public bool IsWebApp => Kind is EntryPointKind.Wsgi or EntryPointKind.Asgi or EntryPointKind.Django;

    /// <summary>The property that set this entry point, for errors ("PythonWsgiApp", "PythonAsgiApp (detected)", ...).</summary>
    public string Property { get; init; } = "";

    /// <summary>A web app named as a factory, <c>module:create_app()</c>: the server calls it to get the app.</summary>
    public bool IsFactory => IsWebApp && Value.EndsWith("()", StringComparison.Ordinal);
}
