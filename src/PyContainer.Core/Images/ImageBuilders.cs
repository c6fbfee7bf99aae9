using PyContainer.Docker;

namespace PyContainer.Images;

/// <summary>
/// The one place that picks the <see cref="IImageBuilder"/>: today the Docker engine (or Podman's Docker API);
/// issue #15's daemonless builder is chosen here too, so no task names an implementation.
/// </summary>
public static class ImageBuilders
{
    /// <summary>Connects the builder for the ContainerEngineEndpoint property, reading the environment's docker config.</summary>
    public static Task<IImageBuilder> ConnectAsync(string? engineEndpoint, CancellationToken cancellationToken) =>
        ConnectAsync(engineEndpoint, DockerConfig.FromEnvironment(Environment.GetEnvironmentVariable), cancellationToken);

    /// <summary>
    /// Connects the builder for a push, with the registry credentials a push needs: both read one docker config
    /// (the engine's context and the credential store), so it is read once.
    /// </summary>
    public static async Task<(IImageBuilder Builder, Func<string?, RegistryCredential> Credentials)> ConnectWithCredentialsAsync(string? engineEndpoint, CancellationToken cancellationToken)
    {
        DockerConfig config = DockerConfig.FromEnvironment(Environment.GetEnvironmentVariable);
        IImageBuilder builder = await ConnectAsync(engineEndpoint, config, cancellationToken);
        return (builder, registry => RegistryCredentials.Resolve(registry, config));
    }

    private static async Task<IImageBuilder> ConnectAsync(string? engineEndpoint, DockerConfig config, CancellationToken cancellationToken) =>
        await DockerEngine.ConnectAsync(engineEndpoint, config, cancellationToken);
}
