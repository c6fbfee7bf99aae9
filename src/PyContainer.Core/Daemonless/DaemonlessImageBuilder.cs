using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Images;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Daemonless;

/// <summary>
/// ContainerBuildMode=Daemonless: an <see cref="IImageBuilder"/> with no engine. It assembles the image from the
/// context's image plan (<see cref="ImageAssembler"/>) into an OCI image layout under obj/ (the "local images" of
/// the incremental policy), pushes straight to the registry (<see cref="ImagePusher"/>), writes archives, and
/// loads an image tagged without a registry into a local engine when one answers, so `docker run` finds it.
/// </summary>
public sealed class DaemonlessImageBuilder : IImageBuilder
{
    private readonly BuilderSettings _settings;
    private readonly DockerConfig _config;
    private readonly Func<string, string?> _environment;
    private readonly ImageStore _store;
    private readonly DownloadCache _cache;
    private readonly Dictionary<string, RegistryClient> _registries = new(StringComparer.Ordinal);

    /// <summary>Images built by this builder and not tagged yet (the store finds only named ones), by image id.</summary>
    private readonly Dictionary<string, Descriptor> _built = new(StringComparer.Ordinal);
    private readonly IBuildLog _log;

    public DaemonlessImageBuilder(BuilderSettings settings, DockerConfig config, Func<string, string?> environment, IBuildLog log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _log = log;
        _config = config;
        _environment = environment;
        _store = new ImageStore(settings.ImageStoreDirectory);
        _cache = DownloadCache.FromEnvironment(environment);
    }

    /// <inheritdoc/>
    public string Endpoint => _settings.ImageStoreDirectory;

    /// <inheritdoc/>
    public string EndpointSource => "ContainerBuildMode=Daemonless";

    /// <inheritdoc/>
    public bool RunsDockerfile => false;

    /// <inheritdoc/>
    public Task<bool> SupportsBuildKitAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    /// <inheritdoc/>
    public async Task<string> BuildAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit, string? target, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Contains(ImagePlan.ContextPath))
        {
            // The context was generated for the Dockerfile mode (the property changed between targets).
            throw Errors.Create(Errors.InvalidPropertyValue, "ContainerBuildMode", _settings.ContainerBuildMode, "the generated context has no image plan: run ContainerDockerfile with the same ContainerBuildMode");
        }

        try
        {
            var assembler = new ImageAssembler(_store, _cache, Registry, _environment);
            Descriptor manifest = await assembler.AssembleAsync(context, buildArguments, log, cancellationToken);
            OciManifest parsed = await _store.ReadManifestAsync(manifest, cancellationToken);
            _built[parsed.Config.Digest] = manifest;
            return parsed.Config.Digest;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Errors.Create(Errors.BuildCancelled);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> TagAsync(string imageId, ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Descriptor manifest = ManifestOf(imageId);
        if (_store.Find(reference.ToString()) is { } tagged && tagged.Digest == manifest.Digest)
        {
            return false;
        }

        _store.Tag(reference.ToString(), manifest);
        if (reference.Registry is null)
        {
            await LoadIntoEngineAsync(manifest, reference, cancellationToken);
        }

        return true;
    }

    /// <inheritdoc/>
    public async Task<string?> FindImageIdAsync(string nameOrId, CancellationToken cancellationToken)
    {
        if (_built.ContainsKey(nameOrId) || _store.FindByConfigDigest(nameOrId) is not null)
        {
            return nameOrId;
        }

        return _store.Find(nameOrId) is { } manifest ? (await _store.ReadManifestAsync(manifest, cancellationToken)).Config.Digest : null;
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
        Descriptor manifest = _store.Find(reference.ToString())
            ?? throw Errors.Create(Errors.ImageNotInStore, reference.ToString(), _settings.ImageStoreDirectory);
        string registry = reference.Registry ?? RemoteImage.DockerHubRegistry;
        using var target = RegistryClient.For(registry, host => host == registry ? credential : Credential(host));
        var pusher = new ImagePusher(_store, _cache, Registry, log);
        return await pusher.PushAsync(manifest, target, reference, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task SaveAsync(IReadOnlyList<ImageReference> references, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        Descriptor manifest = _store.Find(references[0].ToString())
            ?? throw Errors.Create(Errors.ImageNotInStore, references[0].ToString(), _settings.ImageStoreDirectory);
        var pusher = new ImagePusher(_store, _cache, Registry, _log);
        string temporary = path + ".partial";
        try
        {
            Func<string, Stream> blobs = await pusher.LocalBlobsAsync(manifest, cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                await ImageArchive.WriteAsync(_store, manifest, references.Select(r => r.ToString()).ToList(), blobs, output, cancellationToken);
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
    public async Task<IReadOnlyList<Sbom.ImageInventory>> InventoryAsync(string imageId, string? baseImage, CancellationToken cancellationToken) =>
        [await StoreInventory.ReadAsync(_store, ManifestOf(imageId), _settings.ContainerIntermediateDirectory, cancellationToken)];

    /// <inheritdoc/>
    public Task RemoveUntaggedImageAsync(string imageId, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (RegistryClient client in _registries.Values)
        {
            client.Dispose();
        }
    }

    private Descriptor ManifestOf(string imageId) =>
        _built.GetValueOrDefault(imageId) ?? _store.FindByConfigDigest(imageId) ?? throw Errors.Create(Errors.ImageNotInStore, imageId, _settings.ImageStoreDirectory);

    private RegistryClient Registry(string registry)
    {
        if (!_registries.TryGetValue(registry, out RegistryClient? client))
        {
            client = RegistryClient.For(registry, Credential);
            _registries[registry] = client;
        }

        return client;
    }

    private RegistryCredential Credential(string registry) =>
        RegistryCredentials.Resolve(registry == RemoteImage.DockerHubRegistry ? null : registry, _config, _environment);

    /// <summary>
    /// ContainerBuild with no registry: the image goes into the local engine as `docker build` would have put it,
    /// when an engine answers; without one it stays in the store (ContainerPublish and the archive still work).
    /// </summary>
    private async Task LoadIntoEngineAsync(Descriptor manifest, ImageReference reference, CancellationToken cancellationToken)
    {
        global::Docker.DotNet.DockerClient client;
        EngineEndpoint engine;
        try
        {
            (client, engine) = await EngineConnection.OpenAsync(_settings.ContainerEngineEndpoint, _config, cancellationToken);
        }
        catch (PyContainerException e) when (e.Code == Errors.EngineUnreachable)
        {
            _log.Info($"  No engine answered, so {reference} stays in {_settings.ImageStoreDirectory}: push it with ContainerPublish or write it with ContainerArchiveOutputPath");
            return;
        }

        using (client)
        {
            var pusher = new ImagePusher(_store, _cache, Registry, _log);
            Func<string, Stream> blobs = await pusher.LocalBlobsAsync(manifest, cancellationToken);
            // A whole image with its base layers: on disk beside the store, not in memory, and gone when closed.
            await using var archive = new FileStream(
                Path.Combine(_settings.ContainerIntermediateDirectory, "image-load.tar"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            await ImageArchive.WriteAsync(_store, manifest, [reference.ToString()], blobs, archive, cancellationToken);
            archive.Position = 0;
            await EngineImageLoad.LoadAsync(client, engine.Address, archive, cancellationToken);
            _log.Info($"  Loaded {reference} into the engine at {engine.Address} (from {engine.Source})");
        }
    }
}
