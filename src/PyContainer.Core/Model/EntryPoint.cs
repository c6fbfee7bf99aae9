namespace PyContainer.Model;

public enum EntryPointKind
{
    /// <summary>A WSGI callable, <c>module:app</c>, served by a WSGI server.</summary>
    Wsgi,

    /// <summary>A Python script run with the interpreter.</summary>
    Script,

    /// <summary>A module run with <c>python -m</c>.</summary>
    Module,

    /// <summary>An explicit command line, taken as given.</summary>
    Command,
}

/// <summary>How the container starts the app.</summary>
public sealed record EntryPoint(EntryPointKind Kind, IReadOnlyList<string> Values)
{
    public string Value => Values[0];
}
