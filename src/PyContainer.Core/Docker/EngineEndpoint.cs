using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>
/// Where the engine listens, why (the source, for the log), and the folder with ca.pem, cert.pem and key.pem
/// when it must be reached over TLS with a client certificate.
/// </summary>
public sealed record EngineEndpoint(string Address, string Source, string? TlsCertificateDirectory = null)
{
    private const string DockerSocket = "/var/run/docker.sock";

    /// <summary>Said when nothing chose the endpoint, so an error tells the user where to set one.</summary>
    public const string DefaultSource = "the default, as neither ContainerEngineEndpoint, DOCKER_HOST nor a docker context is set";

    /// <summary>
    /// Resolves the endpoint the way the docker CLI does, plus Podman: the ContainerEngineEndpoint property,
    /// else DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), else the current docker context
    /// (DOCKER_CONTEXT or config.json "currentContext"), else Podman's socket when it exists and docker's does
    /// not, else docker's socket.
    /// </summary>
    /// <param name="property">The ContainerEngineEndpoint property.</param>
    /// <param name="environment">Environment lookup.</param>
    /// <param name="fileSystemRoot">Prefix of every absolute path looked at ("/" normally; a test folder in tests).</param>
    public static EngineEndpoint Resolve(string? property, Func<string, string?> environment, string fileSystemRoot = "/") =>
        Resolve(property, environment, DockerConfig.FromEnvironment(environment, fileSystemRoot), fileSystemRoot);

    /// <param name="property">The ContainerEngineEndpoint property.</param>
    /// <param name="environment">Environment lookup.</param>
    /// <param name="config">The docker config: its currentContext, contexts/ and default certificate folder.</param>
    /// <param name="fileSystemRoot">Prefix of every absolute path looked at ("/" normally; a test folder in tests).</param>
    public static EngineEndpoint Resolve(string? property, Func<string, string?> environment, DockerConfig config, string fileSystemRoot = "/")
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(config);
        if (!string.IsNullOrWhiteSpace(property))
        {
            return new(property.Trim(), "the ContainerEngineEndpoint property", TlsDirectory(property, environment, config, fileSystemRoot));
        }

        if (environment("DOCKER_HOST") is { } dockerHost && !string.IsNullOrWhiteSpace(dockerHost))
        {
            return new(dockerHost.Trim(), "DOCKER_HOST", TlsDirectory(dockerHost, environment, config, fileSystemRoot));
        }

        if (OperatingSystem.IsWindows())
        {
            return new("npipe://./pipe/docker_engine", DefaultSource);
        }

        if (FromContext(config, environment) is { } fromContext)
        {
            return fromContext;
        }

        string? runtimeDirectory = environment("XDG_RUNTIME_DIR");
        if (!File.Exists(DockerConfig.Rooted(fileSystemRoot, DockerSocket)))
        {
            foreach (string? podman in new[] { runtimeDirectory is { Length: > 0 } ? runtimeDirectory + "/podman/podman.sock" : null, "/run/podman/podman.sock" })
            {
                if (podman is not null && File.Exists(DockerConfig.Rooted(fileSystemRoot, podman)))
                {
                    return new("unix://" + podman, "Podman's socket (docker's is absent)");
                }
            }
        }

        return new("unix://" + DockerSocket, DefaultSource);
    }

    /// <summary>
    /// The docker CLI turns TLS on when DOCKER_TLS_VERIFY is set to anything; certificates default to the docker
    /// config folder (~/.docker unless DOCKER_CONFIG says otherwise), as the CLI's DOCKER_CERT_PATH does.
    /// </summary>
    private static string? TlsDirectory(string address, Func<string, string?> environment, DockerConfig config, string fileSystemRoot) =>
        address.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase) && environment("DOCKER_TLS_VERIFY") is { Length: > 0 }
            ? environment("DOCKER_CERT_PATH") is { Length: > 0 } certPath ? DockerConfig.Rooted(fileSystemRoot, certPath) : config.Directory
            : null;

    /// <summary>
    /// The docker context DOCKER_CONTEXT names, else config.json's currentContext ("default" is none: the engine
    /// the environment and the default socket give). A named context that cannot be used is PYC3030.
    /// </summary>
    private static EngineEndpoint? FromContext(DockerConfig config, Func<string, string?> environment)
    {
        (string? name, string chosenBy) = environment("DOCKER_CONTEXT") is { Length: > 0 } fromEnvironment
            ? (fromEnvironment, "DOCKER_CONTEXT")
            : (config.CurrentContext, $"the currentContext of {config.FilePath}");
        if (string.IsNullOrEmpty(name) || name == "default")
        {
            return null;
        }

        (string host, string? tlsDirectory) = config.ContextEndpoint(name, chosenBy);
        return new(host, $"the docker context '{name}'", tlsDirectory);
    }
}
