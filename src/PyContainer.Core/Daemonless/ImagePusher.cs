using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Daemonless;

/// <summary>
/// Moves a stored image's blobs where they must go, the cheapest way first: a blob the registry already has is
/// skipped (HEAD), a base layer on the same registry is mounted from the base repository, and only what is left is
/// uploaded — the image's own layers from the store, base layers through the download cache.
/// </summary>
internal sealed class ImagePusher(ImageStore store, DownloadCache cache, Func<string, RegistryClient> registries, IBuildLog log)
{
    /// <summary>The annotation that names the base image a manifest was built on (OCI's pre-defined key).</summary>
    public const string BaseNameAnnotation = "org.opencontainers.image.base.name";

    /// <summary>Pushes the image and tags it as <paramref name="reference"/>; returns the manifest digest.</summary>
    public async Task<string> PushAsync(Descriptor manifest, RegistryClient target, ImageReference reference, CancellationToken cancellationToken)
    {
        OciManifest parsed = await store.ReadManifestAsync(manifest, cancellationToken);
        RemoteImage? baseImage = BaseOf(parsed);
        string registry = reference.Registry ?? RemoteImage.DockerHubRegistry;
        int uploaded = 0, mounted = 0, present = 0;
        foreach (Descriptor blob in parsed.Layers.Append(parsed.Config))
        {
            if (await target.BlobExistsAsync(reference.Repository, blob.Digest, cancellationToken))
            {
                present++;
            }
            else if (store.HasBlob(blob.Digest))
            {
                await target.UploadBlobAsync(reference.Repository, blob, () => File.OpenRead(store.BlobPath(blob.Digest)), cancellationToken);
                uploaded++;
            }
            else if (baseImage is not null && baseImage.Registry == registry
                && await target.TryMountBlobAsync(reference.Repository, blob.Digest, baseImage.Repository, cancellationToken))
            {
                mounted++;
            }
            else
            {
                string path = await BaseBlobAsync(baseImage, blob, cancellationToken);
                await target.UploadBlobAsync(reference.Repository, blob, () => File.OpenRead(path), cancellationToken);
                uploaded++;
            }
        }

        byte[] content = await File.ReadAllBytesAsync(store.BlobPath(manifest.Digest), cancellationToken);
        string digest = await target.PutManifestAsync(reference.Repository, reference.Tag ?? "latest", manifest.MediaType, content, cancellationToken);
        log.Info($"  Pushed {reference} ({digest}): {uploaded} blobs uploaded, {mounted} mounted from {baseImage?.Repository ?? "the base"}, {present} already there");
        return digest;
    }

    /// <summary>
    /// Every blob of the image as a local file (base layers downloaded into the cache first), for an archive or an
    /// engine load, which need the whole image.
    /// </summary>
    public async Task<Func<string, Stream>> LocalBlobsAsync(Descriptor manifest, CancellationToken cancellationToken)
    {
        OciManifest parsed = await store.ReadManifestAsync(manifest, cancellationToken);
        RemoteImage? baseImage = BaseOf(parsed);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Descriptor blob in parsed.Layers.Append(parsed.Config))
        {
            paths[blob.Digest] = store.HasBlob(blob.Digest) ? store.BlobPath(blob.Digest) : await BaseBlobAsync(baseImage, blob, cancellationToken);
        }

        return digest => File.OpenRead(paths[digest]);
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
}
