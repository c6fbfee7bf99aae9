namespace PyContainer.Model;

/// <summary>How the dependencies built in the builder stage reach the runner.</summary>
public enum InstallStrategy
{
    /// <summary>The builder makes wheels; the runner installs them through a bind mount (BuildKit), so no wheel lands in a layer.</summary>
    Wheels,

    /// <summary>The builder fills a venv; the runner copies it. Works with the legacy builder too.</summary>
    Venv,

    /// <summary>The builder makes one self-contained .pex file of the project and its dependencies; the runner copies that file.</summary>
    Pex,
}
