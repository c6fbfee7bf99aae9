using PyContainer.Context;
using PyContainer.Daemonless;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Images;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Docker;

/// <summary>
/// The Dockerfile mode for two or more platforms: the engine builds the generated Dockerfile once per platform
/// (BuildKit, the Engine API's platform parameter, RUN steps under QEMU), each result is exported into the image
/// store (<see cref="EngineImageExport"/>), and one OCI image index of them is the image: tagged, pushed (each
/// platform manifest by digest, then the index) and saved by <see cref="StoredImageBuilder"/>, because a 20.10
/// engine can neither hold nor push an index.
/// </summary>
public sealed class EngineMultiPlatformBuilder : StoredImageBuilder
{
    private readonly DockerEngine _engine;
    private readonly IReadOnlyList<ContainerPlatform> _platforms;

    private EngineMultiPlatformBuilder(DockerEngine engine, BuilderSettings settings, DockerConfig config, Func<string, string?> environment, IBuildLog log)
        : base(settings, config, environment, log)
    {
        _engine = engine;
        _platforms = settings.Platforms;
    }

    /// <inheritdoc/>
    public override string Endpoint => _engine.Endpoint;

    /// <inheritdoc/>
    public override string EndpointSource => _engine.EndpointSource;

    /// <inheritdoc/>
    public override bool RunsDockerfile => true;

    /// <summary>Connects the engine the settings name; the builds are for every platform of <see cref="BuilderSettings.Platforms"/>.</summary>
    public static async Task<EngineMultiPlatformBuilder> ConnectAsync(BuilderSettings settings, DockerConfig config, Func<string, string?> environment, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        DockerEngine engine = await DockerEngine.ConnectAsync(settings.ContainerEngineEndpoint, config, cancellationToken, settings.Platforms);
        return new EngineMultiPlatformBuilder(engine, settings, config, environment, log);
    }

    /// <inheritdoc/>
    public override Task<BuildKitSupport> ProbeBuildKitAsync(CancellationToken cancellationToken) => _engine.ProbeBuildKitAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// The check stage runs for the first platform only (the entry point is the same code on every platform); its
    /// image is removed at once, as it is an engine image, not one of the store's.
    /// </remarks>
    public override async Task<string> BuildAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit, string? target, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(buildArguments);
        ArgumentNullException.ThrowIfNull(log);
        if (target is not null)
        {
            string checkImage = await _engine.BuildAsync(context, buildArguments, buildKit, target, _platforms[0], log, cancellationToken);
            await _engine.RemoveUntaggedImageAsync(checkImage, cancellationToken);
            return checkImage;
        }

        string? runnerImage = DockerfileBaseImages.ImageOf(context.ReadText(context.DockerfileFor(buildKit)), buildArguments, RunnerStage.Name);
        var manifests = new List<Descriptor>();
        foreach (ContainerPlatform platform in _platforms)
        {
            string imageId = await _engine.BuildAsync(context, buildArguments, buildKit, null, platform, log, cancellationToken);
            EngineBaseImage? baseImage = await BaseImageAsync(runnerImage, platform, log, cancellationToken);
            try
            {
                manifests.Add(await EngineImageExport.ExportAsync(token => _engine.SaveImageAsync(imageId, token), imageId, platform, baseImage, Store, cancellationToken));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or global::Docker.DotNet.DockerApiException)
            {
                throw Errors.Create(Errors.EngineExportFailed, e, ImageBuildService.ShortId(imageId), platform.ToString(), Endpoint, e.Message);
            }

            log.Info($"  Stored {platform} ({ImageBuildService.ShortId(imageId)}) in {Store.Directory}");
        }

        Descriptor index = await Store.PutImageIndexAsync(new OciIndex(manifests), cancellationToken);
        log.Info($"  Image index {ImageBuildService.ShortId(index.Digest)} of {string.Join(", ", _platforms)}");
        return await RegisterBuiltAsync(index, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _engine.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The runner's base image for <paramref name="platform"/> from its registry, whose layers the exported image
    /// references instead of storing; null (every layer stored, pushed in full) when it has no registry to read.
    /// </summary>
    private async Task<EngineBaseImage?> BaseImageAsync(string? runnerImage, ContainerPlatform platform, IBuildLog log, CancellationToken cancellationToken)
    {
        if (runnerImage is null || ImageReference.Parse(runnerImage, "ContainerBaseImage").Registry is null)
        {
            return null;
        }

        RemoteImage reference = RemoteImage.Parse(runnerImage);
        try
        {
            return await EngineBaseImage.ResolveAsync(reference, platform, Registry(reference.Registry), cancellationToken);
        }
        catch (PyContainerException e) when (e.Code is Errors.RegistryUnreachable or Errors.RegistryRequestFailed)
        {
            log.Info($"  The registry of {runnerImage} did not answer ({e.Message}): the {platform} image carries its base layers itself.");
            return null;
        }
    }
}
