using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Images;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Daemonless;

/// <summary>
/// An <see cref="IImageBuilder"/> whose images live in the OCI image store under obj/container/image and leave it
/// through PyContainer's own registry client: tags are store names, a push goes blob by blob to the registry
/// (<see cref="ImagePusher"/>), an archive is written from the store, and an image tagged without a registry is
/// loaded into a local engine when one answers. A subclass only builds: it puts the image (a manifest, or an index
/// of platform manifests) into <see cref="Store"/> and returns <see cref="RegisterBuiltAsync"/>'s image id.
/// </summary>
public abstract class StoredImageBuilder : IImageBuilder
{
    private readonly DockerConfig _config;
    private readonly Dictionary<string, RegistryClient> _registries = new(StringComparer.Ordinal);

    /// <summary>Images built by this builder and not tagged yet (the store finds only named ones), by image id.</summary>
    private readonly Dictionary<string, Descriptor> _built = new(StringComparer.Ordinal);

    protected StoredImageBuilder(BuilderSettings settings, DockerConfig config, Func<string, string?> environment, IBuildLog log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        Settings = settings;
        _config = config;
        Environment = environment;
        Log = log;
        Store = new ImageStore(settings.ImageStoreDirectory);
        Cache = DownloadCache.FromEnvironment(environment);
    }

    /// <inheritdoc/>
    public abstract string Endpoint { get; }

    /// <inheritdoc/>
    public abstract string EndpointSource { get; }

    /// <inheritdoc/>
    public abstract bool RunsDockerfile { get; }

    protected BuilderSettings Settings { get; }

    /// <summary>The OCI layout the built images go into (obj/container/image).</summary>
    protected ImageStore Store { get; }

    /// <summary>Where base layers are downloaded once (PYCONTAINER_CACHE).</summary>
    protected DownloadCache Cache { get; }

    protected Func<string, string?> Environment { get; }

    protected IBuildLog Log { get; }

    /// <inheritdoc/>
    public abstract Task<BuildKitSupport> ProbeBuildKitAsync(CancellationToken cancellationToken);

    /// <inheritdoc/>
    public abstract Task<string> BuildAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit, string? target, IBuildLog log, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> TagAsync(string imageId, ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Descriptor image = ImageOf(imageId);
        if (Store.Find(reference.ToString()) is { } tagged && tagged.Digest == image.Digest)
        {
            return false;
        }

        Store.Tag(reference.ToString(), image);
        if (reference.Registry is null)
        {
            await LoadIntoEngineAsync(image, reference, cancellationToken);
        }

        return true;
    }

    /// <inheritdoc/>
    public async Task<string?> FindImageIdAsync(string nameOrId, CancellationToken cancellationToken)
    {
        if (_built.ContainsKey(nameOrId) || Store.FindByImageId(nameOrId) is not null)
        {
            return nameOrId;
        }

        return Store.Find(nameOrId) is { } image ? await Store.ImageIdAsync(image, cancellationToken) : null;
    }

    /// <inheritdoc/>
    public async Task<string?> FindRegistryDigestAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return await Registry(reference.Registry ?? RemoteImage.DockerHubRegistry).FindManifestDigestAsync(reference.Repository, reference.Tag ?? "latest", cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<string> PushAsync(ImageReference reference, RegistryCredential credential, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(credential);
        Descriptor image = Store.Find(reference.ToString())
            ?? throw Errors.Create(Errors.ImageNotInStore, reference.ToString(), Settings.ImageStoreDirectory);
        string registry = reference.Registry ?? RemoteImage.DockerHubRegistry;
        using var target = RegistryClient.For(registry, host => host == registry ? credential : Credential(host));
        var pusher = new ImagePusher(Store, Cache, Registry, log);
        return await pusher.PushAsync(image, target, reference, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task SaveAsync(IReadOnlyList<ImageReference> references, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        Descriptor image = Store.Find(references[0].ToString())
            ?? throw Errors.Create(Errors.ImageNotInStore, references[0].ToString(), Settings.ImageStoreDirectory);
        var pusher = new ImagePusher(Store, Cache, Registry, Log);
        string temporary = path + ".partial";
        try
        {
            Descriptor loadable = await LoadableAsync(image, $"The docker load manifest of {path}", cancellationToken);
            Func<string, Stream> blobs = await pusher.LocalBlobsAsync(image, cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                await ImageArchive.WriteAsync(Store, image, loadable, references.Select(r => r.ToString()).ToList(), blobs, output, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Create(Errors.ArchiveFailed, path, e.Message);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc/>
    public Task RemoveUntaggedImageAsync(string imageId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    /// <remarks>The store knows each platform's own layers (the base's are only referenced), so no base name is needed.</remarks>
    public async Task<IReadOnlyList<Sbom.ImageInventory>> InventoryAsync(string imageId, string? baseImage, CancellationToken cancellationToken)
    {
        var inventories = new List<Sbom.ImageInventory>();
        foreach (Descriptor manifest in await Store.PlatformManifestsAsync(ImageOf(imageId), cancellationToken))
        {
            inventories.Add(await StoreInventory.ReadAsync(Store, manifest, Settings.ContainerIntermediateDirectory, cancellationToken));
        }

        return inventories;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (RegistryClient client in _registries.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Records an image the subclass has put into <see cref="Store"/> (its manifest, or the index of its platform
    /// manifests) so it can be tagged before it has a name; returns its image id: the config digest of a single
    /// image, the index digest of a multi-platform one.
    /// </summary>
    protected async Task<string> RegisterBuiltAsync(Descriptor image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        string imageId = await Store.ImageIdAsync(image, cancellationToken);
        _built[imageId] = image;
        return imageId;
    }

    /// <summary>A registry client for <paramref name="registry"/> (base images), with the docker config's credentials; kept for the builder's life.</summary>
    protected RegistryClient Registry(string registry)
    {
        if (!_registries.TryGetValue(registry, out RegistryClient? client))
        {
            client = RegistryClient.For(registry, Credential);
            _registries[registry] = client;
        }

        return client;
    }

    private RegistryCredential Credential(string registry) =>
        RegistryCredentials.Resolve(registry == RemoteImage.DockerHubRegistry ? null : registry, _config, Environment);

    private Descriptor ImageOf(string imageId) =>
        _built.GetValueOrDefault(imageId) ?? Store.FindByImageId(imageId) ?? throw Errors.Create(Errors.ImageNotInStore, imageId, Settings.ImageStoreDirectory);

    /// <summary>
    /// ContainerBuild with no registry: the image goes into the local engine as `docker build` would have put it,
    /// when an engine answers; without one it stays in the store (ContainerPublish and the archive still work).
    /// </summary>
    private async Task LoadIntoEngineAsync(Descriptor image, ImageReference reference, CancellationToken cancellationToken)
    {
        global::Docker.DotNet.DockerClient client;
        EngineEndpoint engine;
        try
        {
            (client, engine) = await EngineConnection.OpenAsync(Settings.ContainerEngineEndpoint, _config, cancellationToken);
        }
        catch (PyContainerException e) when (e.Code == Errors.EngineUnreachable)
        {
            Log.Info($"  No engine answered, so {reference} stays in {Settings.ImageStoreDirectory}: push it with ContainerPublish or write it with ContainerArchiveOutputPath");
            return;
        }

        using (client)
        {
            var pusher = new ImagePusher(Store, Cache, Registry, Log);
            Descriptor loadable = await LoadableAsync(image, $"The engine at {engine.Address}", cancellationToken);
            Func<string, Stream> blobs = await pusher.LocalBlobsAsync(loadable, cancellationToken);
            // A whole image with its base layers: on disk beside the store, not in memory, and gone when closed.
            await using var archive = new FileStream(
                Path.Combine(Settings.ContainerIntermediateDirectory, "image-load.tar"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            await ImageArchive.WriteAsync(Store, loadable, [reference.ToString()], blobs, archive, cancellationToken);
            archive.Position = 0;
            await EngineImageLoad.LoadAsync(client, engine.Address, archive, cancellationToken);
            Log.Info($"  Loaded {reference} into the engine at {engine.Address} (from {engine.Source})");
        }
    }

    /// <summary>
    /// The image docker load gets (one platform per tag on docker 20.10): a single-platform image itself; of a
    /// multi-platform one, this machine's platform, else the first, saying which in the log.
    /// </summary>
    private async Task<Descriptor> LoadableAsync(Descriptor image, string loader, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsIndex(image.MediaType))
        {
            return image;
        }

        IReadOnlyList<Descriptor> platforms = await Store.PlatformManifestsAsync(image, cancellationToken);
        Descriptor? host = platforms.FirstOrDefault(p => p.Platform is { Os: "linux" } platform && platform.Architecture == BaseImage.HostArchitecture);
        Descriptor chosen = host ?? platforms[0];
        string why = host is null ? $"linux/{BaseImage.HostArchitecture}, this machine's platform, is not among them" : "this machine's platform";
        Log.Info($"  {loader} gets {chosen.Platform} of {string.Join(", ", platforms.Select(p => p.Platform))} ({why}; docker 20.10 loads one platform per tag)");
        return chosen;
    }
}
