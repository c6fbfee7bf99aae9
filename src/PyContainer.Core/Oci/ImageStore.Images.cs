using PyContainer.Diagnostics;

namespace PyContainer.Oci;

/// <summary>
/// The store's images: a single-platform image is a manifest, identified by its config digest (as an engine names
/// an image); a multi-platform one is an index of platform manifests, identified by the index digest.
/// </summary>
public sealed partial class ImageStore
{
    /// <summary>Stores the index's JSON as a blob and describes it (not tagged: see <see cref="Tag"/>).</summary>
    public Task<Descriptor> PutImageIndexAsync(OciIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        return PutBlobAsync(index.MediaType, index.ToJson(), cancellationToken);
    }

    /// <summary>Reads and parses a stored index of platform manifests (PYC3022 when missing, damaged or not an index).</summary>
    public async Task<OciIndex> ReadImageIndexAsync(Descriptor index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        return OciIndex.Parse(await ReadBlobAsync(index.Digest, cancellationToken));
    }

    /// <summary>
    /// The platform manifests of a stored image with their platforms: the index's children, or the manifest alone
    /// (its platform null) for a single-platform image.
    /// </summary>
    public async Task<IReadOnlyList<Descriptor>> PlatformManifestsAsync(Descriptor image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return MediaTypes.IsIndex(image.MediaType) ? (await ReadImageIndexAsync(image, cancellationToken)).Manifests : [image];
    }

    /// <summary>The image id of a stored image: the config digest of a manifest, the digest of an index.</summary>
    public async Task<string> ImageIdAsync(Descriptor image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return MediaTypes.IsIndex(image.MediaType) ? image.Digest : (await ReadManifestAsync(image, cancellationToken)).Config.Digest;
    }

    /// <summary>
    /// A named image whose image id is <paramref name="imageId"/> (the same image built before): a manifest with
    /// that config digest or an index with that digest; null when none.
    /// </summary>
    public Descriptor? FindByImageId(string imageId)
    {
        foreach (Descriptor image in ReadIndex().Manifests.Where(m => m.Annotation(OciIndex.RefName) is not null && HasBlob(m.Digest)))
        {
            if (MediaTypes.IsIndex(image.MediaType))
            {
                if (image.Digest == imageId)
                {
                    return image;
                }

                continue;
            }

            try
            {
                if (OciManifest.Parse(File.ReadAllBytes(BlobPath(image.Digest))).Config.Digest == imageId)
                {
                    return image;
                }
            }
            catch (PyContainerException)
            {
                // Not an image manifest (something else another tool named): not a match.
            }
        }

        return null;
    }
}
