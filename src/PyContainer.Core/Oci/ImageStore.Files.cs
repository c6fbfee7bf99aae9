using PyContainer.Diagnostics;

namespace PyContainer.Oci;

/// <summary>The store's files: blobs written aside and moved in, the layout files, the index lock, clean-up.</summary>
public sealed partial class ImageStore
{
    /// <summary>
    /// Deletes the blobs no named image reaches (its manifest or index, each platform's manifest, config and layers) that are older than
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
                IReadOnlyList<Descriptor> platforms = MediaTypes.IsIndex(named.MediaType) ? OciIndex.Parse(File.ReadAllBytes(BlobPath(named.Digest))).Manifests : [named];
                foreach (Descriptor platform in platforms)
                {
                    OciManifest manifest = OciManifest.Parse(File.ReadAllBytes(BlobPath(platform.Digest)));
                    reachable.UnionWith(manifest.Layers.Prepend(manifest.Config).Append(platform).Select(d => Digests.Hex(d.Digest)));
                }
            }
            catch (Exception e) when (e is PyContainerException or IOException)
            {
                // A damaged manifest or index, or a platform manifest missing: what it reaches is unknown, so nothing is safe to remove.
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
