namespace PyContainer.Model;

/// <summary>How the image is made: a generated Dockerfile built by an engine, or assembled without one.</summary>
public enum ContainerBuildMode
{
    /// <summary>A multi-stage Dockerfile built by a Docker-compatible engine (BuildKit or the legacy builder).</summary>
    Dockerfile,

    /// <summary>
    /// No engine: the base image comes from its registry, locked wheels are installed in-process and the layers and
    /// config are written directly (see Daemonless.ImagePlan, the instructions this mode reads from the context).
    /// </summary>
    Daemonless,
}
