using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Images;
using PyContainer.Oci;

namespace PyContainer.Daemonless;

/// <summary>
/// ContainerBuildMode=Daemonless: an <see cref="IImageBuilder"/> with no engine. It assembles the image from the
/// context's image plan (<see cref="ImageAssembler"/>) into the OCI image store; tagging, pushing, archives and the
/// engine load are the store's (<see cref="StoredImageBuilder"/>).
/// </summary>
public sealed class DaemonlessImageBuilder(BuilderSettings settings, DockerConfig config, Func<string, string?> environment, IBuildLog log)
    : StoredImageBuilder(settings, config, environment, log)
{
    /// <inheritdoc/>
    public override string Endpoint => Settings.ImageStoreDirectory;

    /// <inheritdoc/>
    public override string EndpointSource => "ContainerBuildMode=Daemonless";

    /// <inheritdoc/>
    public override bool RunsDockerfile => false;

    /// <inheritdoc/>
    public override Task<BuildKitSupport> ProbeBuildKitAsync(CancellationToken cancellationToken) => Task.FromResult(BuildKitSupport.No);

    /// <inheritdoc/>
    public override async Task<string> BuildAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit, string? target, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Contains(ImagePlan.ContextPath))
        {
            // The context was generated for the Dockerfile mode (the property changed between targets).
            throw Errors.Create(Errors.InvalidPropertyValue, "ContainerBuildMode", Settings.ContainerBuildMode, "the generated context has no image plan: run ContainerDockerfile with the same ContainerBuildMode");
        }

        try
        {
            string platformsProperty = string.IsNullOrWhiteSpace(Settings.ContainerRuntimeIdentifiers) ? "ContainerRuntimeIdentifier" : "ContainerRuntimeIdentifiers";
            var assembler = new ImageAssembler(Store, Cache, Registry, Environment, Settings.Platforms, platformsProperty);
            Descriptor image = await assembler.AssembleAsync(context, buildArguments, log, cancellationToken);
            return await RegisterBuiltAsync(image, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Errors.Create(Errors.BuildCancelled);
        }
    }
}
