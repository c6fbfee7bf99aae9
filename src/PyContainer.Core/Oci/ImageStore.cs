using System.Text;
using PyContainer.Diagnostics;

namespace PyContainer.Oci;

/// <summary>
/// A local OCI image layout (oci-layout, index.json, blobs/sha256/&lt;hex&gt;) that skopeo (<c>oci:DIR:REF</c>) and
/// umoci read. Blobs are written to a temporary file and moved into place once their digest is known, so a blob file
/// is always complete; index.json is replaced atomically under a lock file, so concurrent builds can share a store.
/// </summary>
public sealed class ImageStore(string directory)
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

    /// <summary>A named manifest whose config is <paramref name="configDigest"/> (the same image built before), or null.</summary>
    public Descriptor? FindByConfigDigest(string configDigest)
    {
        foreach (Descriptor manifest in ReadIndex().Manifests.Where(m => m.Annotation(OciIndex.RefName) is not null && HasBlob(m.Digest)))
        {
            try
            {
                if (OciManifest.Parse(File.ReadAllBytes(BlobPath(manifest.Digest))).Config.Digest == configDigest)
                {
                    return manifest;
                }
            }
            catch (PyContainerException)
            {
                // Not an image manifest (an index someone else tagged): not a match.
            }
        }

        return null;
    }

    /// <summary>index.json; an empty index when the store has none yet.</summary>
    public OciIndex ReadIndex()
    {
        string path = Path.Combine(Directory, IndexFile);
        return File.Exists(path) ? OciIndex.Parse(File.ReadAllBytes(path)) : new OciIndex([]);
    }

    /// <summary>
    /// Writes a blob through <paramref name="write"/> into a temporary file, hashing it on the way, then moves it to
    /// its digest's path. With <paramref name="expected"/>, a different size or digest is PYC3022.
    /// </summary>
    internal async Task<(Descriptor Descriptor, T Result)> WriteBlobAsync<T>(string mediaType, Func<Stream, CancellationToken, Task<T>> write, CancellationToken cancellationToken, Descriptor? expected = null)
    {
        EnsureLayout();
        string temporary = Path.Combine(Directory, ".tmp", Guid.NewGuid().ToString("N"));
        try
        {
            Descriptor descriptor;
            T result;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            using (var hashing = new HashingStream(file, leaveOpen: true))
            {
                result = await write(hashing, cancellationToken);
                await hashing.FlushAsync(cancellationToken);
                descriptor = new Descriptor(mediaType, hashing.Digest(), hashing.Written);
            }

            if (expected is not null && (expected.Digest != descriptor.Digest || expected.Size != descriptor.Size))
            {
                throw Errors.Create(Errors.OciContentInvalid, "blob " + expected.Digest, $"its {descriptor.Size} bytes have the digest {descriptor.Digest}, not the expected {expected.Size} bytes of {expected.Digest}");
            }

            MoveIntoPlace(temporary, descriptor);
            return (descriptor, result);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Deletes the blobs no named manifest reaches (its own blob, its config, its layers) that are older than
    /// <paramref name="olderThan"/> (a younger blob may belong to a build that has not tagged its image yet), and
    /// left-over temporary files as old. Returns how many files were deleted.
    /// </summary>
    public int RemoveUnreferencedBlobs(TimeSpan olderThan)
    {
        string blobs = Path.Combine(Directory, "blobs", "sha256");
        if (!System.IO.Directory.Exists(blobs))
        {
            return 0;
        }

        var reachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (Descriptor named in ReadIndex().Manifests)
        {
            reachable.Add(Digests.Hex(named.Digest));
            if (!HasBlob(named.Digest))
            {
                continue;
            }

            try
            {
                OciManifest manifest = OciManifest.Parse(File.ReadAllBytes(BlobPath(named.Digest)));
                reachable.UnionWith(manifest.Layers.Prepend(manifest.Config).Select(d => Digests.Hex(d.Digest)));
            }
            catch (PyContainerException)
            {
                // An index or a damaged manifest: keep what it names, remove nothing on its account.
                return 0;
            }
        }

        DateTime cutoff = DateTime.UtcNow - olderThan;
        int removed = 0;
        IEnumerable<string> temporaries = System.IO.Directory.Exists(Path.Combine(Directory, ".tmp"))
            ? System.IO.Directory.EnumerateFiles(Path.Combine(Directory, ".tmp")).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            : [];
        foreach (string file in System.IO.Directory.EnumerateFiles(blobs).Where(f => !reachable.Contains(Path.GetFileName(f))).Concat(temporaries).ToList())
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                File.Delete(file);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// Moves a finished blob to its digest's path. Another build may have put the same blob there meanwhile (and on
    /// Windows hold it open): its bytes are the same, so a complete file there is success.
    /// </summary>
    private void MoveIntoPlace(string temporary, Descriptor blob)
    {
        try
        {
            File.Move(temporary, BlobPath(blob.Digest), overwrite: true);
        }
        catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && IsComplete(blob))
        {
            File.Delete(temporary);
        }
    }

    private bool IsComplete(Descriptor blob)
    {
        var file = new FileInfo(BlobPath(blob.Digest));
        return file.Exists && file.Length == blob.Size;
    }

    private void EnsureLayout()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "blobs", "sha256"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, ".tmp"));
        string layout = Path.Combine(Directory, LayoutFile);
        if (!File.Exists(layout))
        {
            WriteAtomically(layout, LayoutContent);
        }

        string index = Path.Combine(Directory, IndexFile);
        if (!File.Exists(index))
        {
            using FileStream lockFile = AcquireIndexLock();
            if (!File.Exists(index))
            {
                WriteAtomically(index, new OciIndex([]).ToJson());
            }
        }
    }

    private void WriteAtomically(string path, byte[] content)
    {
        string temporary = Path.Combine(Directory, ".tmp", Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>An exclusive lock on index.json.lock (another build's Tag waits for it).</summary>
    private FileStream AcquireIndexLock()
    {
        string path = Path.Combine(Directory, ".tmp", IndexFile + ".lock");
        DateTime deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }
}
