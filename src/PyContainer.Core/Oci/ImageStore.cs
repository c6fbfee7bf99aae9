using System.Text;
using PyContainer.Diagnostics;

namespace PyContainer.Oci;

/// <summary>
/// A local OCI image layout (oci-layout, index.json, blobs/sha256/&lt;hex&gt;) that skopeo (<c>oci:DIR:REF</c>) and
/// umoci read. Blobs are written to a temporary file and moved into place once their digest is known, so a blob file
/// is always complete; index.json is replaced atomically under a lock file, so concurrent builds can share a store.
/// </summary>
public sealed partial class ImageStore(string directory)
{
    private const string LayoutFile = "oci-layout";
    private const string IndexFile = "index.json";
    private static readonly byte[] LayoutContent = Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}");
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The layout's folder (full path); created on the first write.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    public bool HasBlob(string digest) => File.Exists(BlobPath(digest));

    /// <summary>blobs/sha256/&lt;hex&gt; under <see cref="Directory"/> (whether or not the blob is there).</summary>
    public string BlobPath(string digest) => Path.Combine(Directory, "blobs", "sha256", Digests.Hex(digest));

    /// <summary>Opens a blob for reading (PYC3022 when the store does not have it).</summary>
    public Stream OpenBlob(string digest)
    {
        try
        {
            return new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Errors.Create(Errors.OciContentInvalid, e, "blob " + digest, "it is not in the image store " + Directory);
        }
    }

    /// <summary>Reads a whole blob (a manifest or config) and checks that its bytes have its digest (PYC3022).</summary>
    public async Task<byte[]> ReadBlobAsync(string digest, CancellationToken cancellationToken)
    {
        byte[] content;
        using (Stream blob = OpenBlob(digest))
        {
            content = new byte[blob.Length];
            await blob.ReadExactlyAsync(content, cancellationToken);
        }

        string actual = Digests.Sha256(content);
        if (actual != digest)
        {
            throw Errors.Create(Errors.OciContentInvalid, "blob " + digest, $"the file {BlobPath(digest)} has the digest {actual}");
        }

        return content;
    }

    /// <summary>Stores <paramref name="content"/> (unless already there) and describes it.</summary>
    public async Task<Descriptor> PutBlobAsync(string mediaType, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        ArgumentNullException.ThrowIfNull(content);
        var descriptor = new Descriptor(mediaType, Digests.Sha256(content), content.Length);
        if (!IsComplete(descriptor))
        {
            await WriteBlobAsync(mediaType, async (output, token) =>
            {
                await output.WriteAsync(content, token);
                return true;
            }, cancellationToken);
        }

        return descriptor;
    }

    /// <summary>
    /// Stores what <paramref name="content"/> holds as the blob <paramref name="expected"/> describes: its size and
    /// digest must match (PYC3022, and nothing is stored). A blob already in the store is not read again.
    /// </summary>
    public async Task<Descriptor> PutBlobAsync(Descriptor expected, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(content);
        _ = Digests.Hex(expected.Digest);
        if (IsComplete(expected))
        {
            return expected;
        }

        await WriteBlobAsync(expected.MediaType, async (output, token) =>
        {
            await using var verifying = new VerifyingStream(content, expected, "the stream given for it", leaveOpen: true);
            await verifying.CopyToAsync(output, token);
            return true;
        }, cancellationToken, expected);
        return expected;
    }

    /// <summary>Stores the manifest's JSON as a blob and describes it (not tagged: see <see cref="Tag"/>).</summary>
    public Task<Descriptor> PutManifestAsync(OciManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return PutBlobAsync(manifest.MediaType, manifest.ToJson(), cancellationToken);
    }

    /// <summary>Reads and parses a stored manifest (PYC3022 when missing, damaged or not a manifest).</summary>
    public async Task<OciManifest> ReadManifestAsync(Descriptor manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return OciManifest.Parse(await ReadBlobAsync(manifest.Digest, cancellationToken));
    }

    /// <summary>
    /// Names <paramref name="manifest"/> <paramref name="reference"/> in index.json (annotation
    /// org.opencontainers.image.ref.name), replacing the manifest that name had before.
    /// </summary>
    public void Tag(string reference, Descriptor manifest)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        ArgumentNullException.ThrowIfNull(manifest);
        _ = Digests.Hex(manifest.Digest);
        EnsureLayout();
        using FileStream lockFile = AcquireIndexLock();
        OciIndex index = ReadIndex();
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string value) in manifest.Annotations ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        annotations[OciIndex.RefName] = reference;
        List<Descriptor> manifests = [.. index.Manifests.Where(m => m.Annotation(OciIndex.RefName) != reference)];
        manifests.Add(manifest with { Annotations = annotations });
        manifests.Sort((a, b) => string.CompareOrdinal(a.Annotation(OciIndex.RefName) ?? "", b.Annotation(OciIndex.RefName) ?? "") is var c && c != 0
            ? c : string.CompareOrdinal(a.Digest, b.Digest));
        WriteAtomically(Path.Combine(Directory, IndexFile), new OciIndex(manifests).ToJson());
    }

    /// <summary>The manifest named <paramref name="reference"/>, or null.</summary>
    public Descriptor? Find(string reference) =>
        ReadIndex().Manifests.FirstOrDefault(m => m.Annotation(OciIndex.RefName) == reference);

    /// <summary>index.json; an empty index when the store has none yet.</summary>
    public OciIndex ReadIndex()
    {
        string path = Path.Combine(Directory, IndexFile);
        return File.Exists(path) ? OciIndex.Parse(File.ReadAllBytes(path)) : new OciIndex([]);
    }
}
