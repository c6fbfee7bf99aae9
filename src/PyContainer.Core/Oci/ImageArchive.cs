using System.Text;
using System.Text.Json;

namespace PyContainer.Oci;

/// <summary>
/// One tar that is both what <c>docker load</c> reads (manifest.json naming the config, the layers and the tags;
/// docker 20.10 and later; one platform of a multi-platform image) and an OCI image layout (oci-layout, index.json, blobs/sha256) that
/// <c>skopeo copy oci-archive:</c> reads. Blobs are stored once, under blobs/sha256/&lt;hex&gt;, for both readers.
/// </summary>
public static class ImageArchive
{
    /// <summary>The annotation containerd (and Docker's containerd image store) names an image by.</summary>
    public const string ContainerdImageName = "io.containerd.image.name";

    private const UnixFileMode FileMode = (UnixFileMode)0x1A4; // 0644
    private const UnixFileMode FolderMode = (UnixFileMode)0x1ED; // 0755

    /// <summary>
    /// Writes the archive of <paramref name="manifest"/> (a single-platform image's manifest in
    /// <paramref name="store"/>) named by <paramref name="references"/> ("registry/repository:tag") to
    /// <paramref name="output"/>. The config and the layers come from <paramref name="openBlob"/> (a base layer may be
    /// in a download cache, not in the store) and are checked against their digests while they are copied (PYC3022).
    /// The same inputs give the same bytes.
    /// </summary>
    public static Task WriteAsync(ImageStore store, Descriptor manifest, IReadOnlyList<string> references, Func<string, Stream> openBlob, Stream output, CancellationToken cancellationToken) =>
        WriteAsync(store, manifest, manifest, references, openBlob, output, cancellationToken);

    /// <summary>
    /// Writes the archive of <paramref name="image"/>: a manifest, or an index of platform manifests whose every
    /// platform the OCI layout holds (skopeo and umoci read them all). docker load reads only manifest.json, one image
    /// per tag on docker 20.10: it lists <paramref name="loadable"/>, the image itself or one of the index's manifests.
    /// </summary>
    public static async Task WriteAsync(ImageStore store, Descriptor image, Descriptor loadable, IReadOnlyList<string> references, Func<string, Stream> openBlob, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(loadable);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(openBlob);
        ArgumentNullException.ThrowIfNull(output);

        // Each blob once (two identical empty layers, or a layer several platforms share, are one blob), in digest order;
        // the index and the manifests as the store holds them, the rest from openBlob.
        var documents = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [image.Digest] = await store.ReadBlobAsync(image.Digest, cancellationToken) };
        var blobs = new SortedDictionary<string, Descriptor>(StringComparer.Ordinal) { [image.Digest] = image };
        foreach (Descriptor platform in await store.PlatformManifestsAsync(image, cancellationToken))
        {
            documents[platform.Digest] = await store.ReadBlobAsync(platform.Digest, cancellationToken);
            blobs.TryAdd(platform.Digest, platform);
            OciManifest manifest = OciManifest.Parse(documents[platform.Digest]);
            foreach (Descriptor blob in manifest.Layers.Prepend(manifest.Config))
            {
                blobs.TryAdd(blob.Digest, blob);
            }
        }

        OciManifest loaded = OciManifest.Parse(documents.GetValueOrDefault(loadable.Digest)
            ?? throw new ArgumentException($"{loadable.Digest} is not a manifest of {image.Digest}.", nameof(loadable)));
        var tar = new DeterministicTar(output, DateTimeOffset.UnixEpoch);
        await tar.WriteDirectoryAsync("blobs", FolderMode, 0, 0, cancellationToken);
        await tar.WriteDirectoryAsync("blobs/sha256", FolderMode, 0, 0, cancellationToken);
        foreach (Descriptor blob in blobs.Values)
        {
            string name = BlobName(blob.Digest);
            if (documents.TryGetValue(blob.Digest, out byte[]? document))
            {
                await WriteBytesAsync(tar, name, document, cancellationToken);
                continue;
            }

            // Checked while copied: the header already promised the size, so a short or wrong blob must fail the archive.
            await using var source = new VerifyingStream(openBlob(blob.Digest), blob, "the blob source");
            await tar.WriteFileAsync(name, FileMode, 0, 0, blob.Size, source, cancellationToken);
        }

        await WriteBytesAsync(tar, "index.json", IndexJson(image, references), cancellationToken);
        await WriteBytesAsync(tar, "manifest.json", DockerManifestJson(loaded, references), cancellationToken);
        await WriteBytesAsync(tar, "oci-layout", Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}"), cancellationToken);
        await tar.FinishAsync(cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>The OCI index: the manifest once per reference, named by org.opencontainers.image.ref.name.</summary>
    internal static byte[] IndexJson(Descriptor manifest, IReadOnlyList<string> references)
    {
        Descriptor bare = manifest with { Annotations = null, Platform = null };
        List<Descriptor> named = [.. references.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(r => bare with
            {
                Annotations = new Dictionary<string, string> { [OciIndex.RefName] = r, [ContainerdImageName] = FullyQualified(r) },
            })];
        return new OciIndex(named.Count > 0 ? named : [bare]).ToJson();
    }

    /// <summary>
    /// docker load's manifest.json: [{"Config", "RepoTags", "Layers"}], paths into blobs/sha256. A reference
    /// without a tag gets ":latest" (docker load accepts only tags); a digest reference cannot be a RepoTag.
    /// </summary>
    internal static byte[] DockerManifestJson(OciManifest image, IReadOnlyList<string> references) => OciJson.Write(writer =>
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("Config", BlobName(image.Config.Digest));
        writer.WriteStartArray("RepoTags");
        foreach (string tag in references.Where(r => !r.Contains('@', StringComparison.Ordinal)).Select(WithTag).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("Layers");
        foreach (Descriptor layer in image.Layers)
        {
            writer.WriteStringValue(BlobName(layer.Digest));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    });

    /// <summary>
    /// docker.io/library/app:1 for app:1, as the engine names it: Docker 25 and later with the containerd image store
    /// name what they load from an OCI index by this annotation (docker save writes it the same way).
    /// </summary>
    internal static string FullyQualified(string reference)
    {
        int slash = reference.IndexOf('/', StringComparison.Ordinal);
        string first = slash < 0 ? "" : reference[..slash];
        bool hasRegistry = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        return hasRegistry ? reference : slash < 0 ? "docker.io/library/" + reference : "docker.io/" + reference;
    }

    private static string WithTag(string reference)
    {
        int slash = reference.LastIndexOf('/');
        return reference.IndexOf(':', slash + 1) >= 0 ? reference : reference + ":latest";
    }

    private static string BlobName(string digest) => "blobs/sha256/" + Digests.Hex(digest);

    private static Task WriteBytesAsync(DeterministicTar tar, string name, byte[] content, CancellationToken cancellationToken) =>
        tar.WriteFileAsync(name, FileMode, 0, 0, content.Length, new MemoryStream(content, writable: false), cancellationToken);
}
