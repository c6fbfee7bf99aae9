using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Daemonless;

/// <summary>
/// Moves a stored image's blobs where they must go, the cheapest way first: a blob the registry already has is
/// skipped (HEAD), a base layer on the same registry is mounted from the base repository, and only what is left is
/// uploaded — the image's own layers from the store, base layers through the download cache. A multi-platform image
/// (an index) goes platform by platform: each platform's blobs, then its manifest by digest, then the index under
/// the tag; a blob several platforms share (the pure-Python and app layers) is checked and moved once.
/// </summary>
internal sealed class ImagePusher(ImageStore store, DownloadCache cache, Func<string, RegistryClient> registries, IBuildLog log)
{
    /// <summary>The annotation that names the base image a manifest was built on (OCI's pre-defined key).</summary>
    public const string BaseNameAnnotation = "org.opencontainers.image.base.name";

    /// <summary>
    /// Pushes the image (a manifest, or an index of platform manifests) and tags it as <paramref name="reference"/>;
    /// returns the digest of what the tag names (the manifest's, or the index's).
    /// </summary>
    public async Task<string> PushAsync(Descriptor image, RegistryClient target, ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reference);
        var transfer = new Transfer(reference.Repository, reference.Registry ?? RemoteImage.DockerHubRegistry);
        IReadOnlyList<Descriptor> platforms = await store.PlatformManifestsAsync(image, cancellationToken);
        var bases = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Descriptor platform in platforms)
        {
            OciManifest manifest = await store.ReadManifestAsync(platform, cancellationToken);
            bases.Add(BaseOf(manifest)?.Repository ?? "the base");
            await PushBlobsAsync(manifest, target, transfer, cancellationToken);
            if (platform.Digest != image.Digest)
            {
                // A platform of an index: its manifest by digest, before the index that names it.
                await target.PutManifestAsync(reference.Repository, platform.Digest, platform.MediaType, await store.ReadBlobAsync(platform.Digest, cancellationToken), cancellationToken);
            }
        }

        byte[] content = await store.ReadBlobAsync(image.Digest, cancellationToken);
        string digest = await target.PutManifestAsync(reference.Repository, reference.Tag ?? "latest", image.MediaType, content, cancellationToken);
        string what = MediaTypes.IsIndex(image.MediaType) ? $"an index of {string.Join(", ", platforms.Select(p => p.Platform?.ToString() ?? p.Digest))}, " : "";
        log.Info($"  Pushed {reference} ({what}{digest}): {transfer.Uploaded} blobs uploaded, {transfer.Mounted} mounted from {string.Join(", ", bases)}, {transfer.Present} already there");
        return digest;
    }

    /// <summary>
    /// Every blob of the image (of each platform's image, for an index) as a local file, base layers downloaded
    /// into the cache first, for an archive or an engine load, which need the whole image.
    /// </summary>
    public async Task<Func<string, Stream>> LocalBlobsAsync(Descriptor image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Descriptor platform in await store.PlatformManifestsAsync(image, cancellationToken))
        {
            OciManifest parsed = await store.ReadManifestAsync(platform, cancellationToken);
            RemoteImage? baseImage = BaseOf(parsed);
            paths[platform.Digest] = store.BlobPath(platform.Digest);
            foreach (Descriptor blob in parsed.Layers.Append(parsed.Config).Where(b => !paths.ContainsKey(b.Digest)))
            {
                paths[blob.Digest] = store.HasBlob(blob.Digest) ? store.BlobPath(blob.Digest) : await BaseBlobAsync(baseImage, blob, cancellationToken);
            }
        }

        return digest => File.OpenRead(paths[digest]);
    }

    /// <summary>One platform's layers and config, each unless an earlier platform of the same push moved it.</summary>
    private async Task PushBlobsAsync(OciManifest manifest, RegistryClient target, Transfer transfer, CancellationToken cancellationToken)
    {
        // The base layers are mounted from (or copied out of) this platform's own base manifest's repository.
        RemoteImage? baseImage = BaseOf(manifest);
        foreach (Descriptor blob in manifest.Layers.Append(manifest.Config).Where(b => transfer.Done.Add(b.Digest)))
        {
            if (await target.BlobExistsAsync(transfer.Repository, blob.Digest, cancellationToken))
            {
                transfer.Present++;
            }
            else if (store.HasBlob(blob.Digest))
            {
                await target.UploadBlobAsync(transfer.Repository, blob, () => File.OpenRead(store.BlobPath(blob.Digest)), cancellationToken);
                transfer.Uploaded++;
            }
            else if (baseImage is not null && baseImage.Registry == transfer.Registry
                && await target.TryMountBlobAsync(transfer.Repository, blob.Digest, baseImage.Repository, cancellationToken))
            {
                transfer.Mounted++;
            }
            else
            {
                string path = await BaseBlobAsync(baseImage, blob, cancellationToken);
                await target.UploadBlobAsync(transfer.Repository, blob, () => File.OpenRead(path), cancellationToken);
                transfer.Uploaded++;
            }
        }
    }

    private async Task<string> BaseBlobAsync(RemoteImage? baseImage, Descriptor blob, CancellationToken cancellationToken)
    {
        if (baseImage is null)
        {
            throw Errors.Create(Errors.ImageNotInStore, blob.Digest, store.Directory);
        }

        RegistryClient source = registries(baseImage.Registry);
        return await cache.BlobAsync(blob.Digest, baseImage.ToString(), token => source.GetBlobAsync(baseImage.Repository, blob.Digest, token), cancellationToken);
    }

    private static RemoteImage? BaseOf(OciManifest manifest) =>
        manifest.Annotations is { } annotations && annotations.TryGetValue(BaseNameAnnotation, out string? name) ? RemoteImage.Parse(name) : null;

    /// <summary>One push: where to, the blobs already handled (by digest) and what happened to them.</summary>
    private sealed class Transfer(string repository, string registry)
    {
        public string Repository { get; } = repository;

        public string Registry { get; } = registry;

        public HashSet<string> Done { get; } = new(StringComparer.Ordinal);

        public int Uploaded { get; set; }

        public int Mounted { get; set; }

        public int Present { get; set; }
    }
}
