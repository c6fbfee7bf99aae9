using PyContainer.Daemonless;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Model;

namespace PyContainer.Images;

/// <summary>What the build tasks pass to reach a builder: the MSBuild properties that choose and place it.</summary>
/// <param name="ContainerBuildMode">Dockerfile (an engine builds the generated Dockerfile) or Daemonless.</param>
/// <param name="ContainerEngineEndpoint">The engine's address; empty resolves DOCKER_HOST, the docker context, the socket.</param>
/// <param name="ContainerIntermediateDirectory">The daemonless builder's image store is its image/ folder.</param>
/// <param name="ContainerRuntimeIdentifiers">The platforms to build for (runtime identifiers, ';'-separated); empty for the builder's own.</param>
/// <param name="ContainerRuntimeIdentifier">One platform, when ContainerRuntimeIdentifiers is empty.</param>
public sealed record BuilderSettings(string ContainerBuildMode, string? ContainerEngineEndpoint, string ContainerIntermediateDirectory, string? ContainerRuntimeIdentifiers = null, string? ContainerRuntimeIdentifier = null)
{
    public bool IsDaemonless => string.Equals(ContainerBuildMode, "Daemonless", StringComparison.OrdinalIgnoreCase);

    /// <summary>The platforms the runtime identifiers name (PYC1056 for a bad one); empty builds for the builder's own platform.</summary>
    public IReadOnlyList<ContainerPlatform> Platforms => ContainerPlatform.ParseAll(ContainerRuntimeIdentifiers, ContainerRuntimeIdentifier);

    public string ImageStoreDirectory => Path.Combine(ContainerIntermediateDirectory, "image");
}

/// <summary>
/// The one place that picks the <see cref="IImageBuilder"/>: the Docker engine (or Podman's Docker API) for the
/// Dockerfile mode, <see cref="DaemonlessImageBuilder"/> for ContainerBuildMode=Daemonless; no task names either.
/// </summary>
public static class ImageBuilders
{
    /// <summary>Connects the builder the settings choose, reading the environment's docker config; the daemonless builder logs to <paramref name="log"/>.</summary>
    public static Task<IImageBuilder> ConnectAsync(BuilderSettings settings, IBuildLog log, CancellationToken cancellationToken) =>
        ConnectAsync(settings, DockerConfig.FromEnvironment(Environment.GetEnvironmentVariable), log, cancellationToken);

    /// <summary>
    /// Connects the builder for a push, with the registry credentials a push needs: both read one docker config
    /// (the engine's context and the credential store), so it is read once.
    /// </summary>
    public static async Task<(IImageBuilder Builder, Func<string?, RegistryCredential> Credentials)> ConnectWithCredentialsAsync(BuilderSettings settings, IBuildLog log, CancellationToken cancellationToken)
    {
        DockerConfig config = DockerConfig.FromEnvironment(Environment.GetEnvironmentVariable);
        IImageBuilder builder = await ConnectAsync(settings, config, log, cancellationToken);
        return (builder, registry => RegistryCredentials.Resolve(registry, config));
    }

    private static async Task<IImageBuilder> ConnectAsync(BuilderSettings settings, DockerConfig config, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.IsDaemonless)
        {
            return new DaemonlessImageBuilder(settings, config, Environment.GetEnvironmentVariable, log);
        }

        // Several platforms make an image index, which only PyContainer's store and registry client can hold and push.
        return settings.Platforms.Count >= 2
            ? await EngineMultiPlatformBuilder.ConnectAsync(settings, config, Environment.GetEnvironmentVariable, log, cancellationToken)
            : await DockerEngine.ConnectAsync(settings.ContainerEngineEndpoint, config, cancellationToken, settings.Platforms);
    }
}
