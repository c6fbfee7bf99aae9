using PyContainer.Oci.Compression;

namespace PyContainer.Oci;

/// <summary>A written layer: its blob's descriptor (gzip) and its DiffId (the sha256 of the uncompressed tar).</summary>
public sealed record LayerBlob(Descriptor Descriptor, string DiffId);

/// <summary>
/// Collects the entries of one image layer and writes them as a byte-for-byte deterministic gzip tar: entries
/// sorted by path, missing parents added as root-owned 0755 folders, every mtime the builder's timestamp, uid/gid
/// as given (0 by default), no user or group names. Files are read only while the layer is written, so a layer
/// of large files never sits in memory.
/// </summary>
public sealed class LayerBuilder(DateTimeOffset timestamp) : ILayerSink
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED; // 0755

    // Keyed by the path without its leading '/'; ordinal order is the tar's order (a parent sorts before its children).
    private readonly SortedDictionary<string, LayerEntry> _entries = new(StringComparer.Ordinal);
    private readonly long _seconds = DeterministicTar.Seconds(timestamp);

    /// <summary>The number of entries, implied parent folders included.</summary>
    public int Count => _entries.Count;

    /// <summary>The timestamp every entry gets.</summary>
    public DateTimeOffset Timestamp { get; } = timestamp;

    /// <inheritdoc/>
    public void AddDirectory(string path, UnixFileMode mode, int uid = 0, int gid = 0)
    {
        string name = Normalize(path);
        ArgumentOutOfRangeException.ThrowIfNegative(uid);
        ArgumentOutOfRangeException.ThrowIfNegative(gid);
        AddParents(name);
        if (_entries.TryGetValue(name, out LayerEntry? existing) && existing.Kind != EntryKind.Directory)
        {
            throw new InvalidOperationException($"The layer already has a {existing.Kind.ToString().ToLowerInvariant()} at '/{name}'; it cannot also be a folder.");
        }

        _entries[name] = new LayerEntry(EntryKind.Directory, mode, uid, gid, 0, null, null, null);
    }

    /// <inheritdoc/>
    public void AddFile(string path, UnixFileMode mode, long length, Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Add(path, new LayerEntry(EntryKind.File, mode, 0, 0, length, open, null, null));
    }

    /// <inheritdoc/>
    public void AddFile(string path, UnixFileMode mode, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Add(path, new LayerEntry(EntryKind.File, mode, 0, 0, content.Length, null, content, null));
    }

    /// <inheritdoc/>
    public void AddSymlink(string path, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (target.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A symbolic link's target cannot hold a NUL character.", nameof(target));
        }

        Add(path, new LayerEntry(EntryKind.Symlink, (UnixFileMode)0x1FF, 0, 0, 0, null, null, target));
    }

    /// <inheritdoc/>
    public bool Contains(string path) => _entries.ContainsKey(Normalize(path));

    /// <summary>
    /// Writes the layer into <paramref name="store"/> as an <see cref="MediaTypes.OciLayerGzip"/> blob, hashing the
    /// tar (DiffId) and the gzip (digest) in the same pass.
    /// </summary>
    public Task<LayerBlob> WriteAsync(ImageStore store, CancellationToken cancellationToken) =>
        WriteGzipAsync(store, WriteTarAsync, cancellationToken);

    /// <summary>
    /// Stores the tar that <paramref name="writeTar"/> writes as a deterministic gzip <see cref="MediaTypes.OciLayerGzip"/>
    /// blob (PyContainer's own deflate, so the same tar always gives the same digest), hashing tar and gzip in one pass.
    /// </summary>
    public static async Task<LayerBlob> WriteGzipAsync(ImageStore store, Func<Stream, CancellationToken, Task> writeTar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(writeTar);
        (Descriptor descriptor, string diffId) = await store.WriteBlobAsync(MediaTypes.OciLayerGzip, async (output, token) =>
        {
            using var gzip = new FixedGzipStream(output);
            using var tarHash = new HashingStream(gzip, leaveOpen: true);
            await writeTar(tarHash, token);
            await gzip.FinishAsync(token);
            return tarHash.Digest();
        }, cancellationToken);
        return new LayerBlob(descriptor, diffId);
    }

    /// <summary>Writes the uncompressed tar of the entries (the bytes whose sha256 is the DiffId).</summary>
    public async Task WriteTarAsync(Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var tar = new DeterministicTar(output, DateTimeOffset.FromUnixTimeSeconds(_seconds));
        foreach ((string name, LayerEntry entry) in _entries)
        {
            switch (entry.Kind)
            {
                case EntryKind.Directory:
                    await tar.WriteDirectoryAsync(name, entry.Mode, entry.Uid, entry.Gid, cancellationToken);
                    break;
                case EntryKind.Symlink:
                    await tar.WriteSymlinkAsync(name, entry.Target!, cancellationToken);
                    break;
                default:
                    Stream content = entry.Content is { } bytes ? new MemoryStream(bytes, writable: false) : entry.Open!();
                    await using (content)
                    {
                        await tar.WriteFileAsync(name, entry.Mode, entry.Uid, entry.Gid, entry.Length, content, cancellationToken);
                    }

                    break;
            }
        }

        await tar.FinishAsync(cancellationToken);
    }

    private void Add(string path, LayerEntry entry)
    {
        string name = Normalize(path);
        AddParents(name);
        if (_entries.TryGetValue(name, out LayerEntry? existing))
        {
            throw new InvalidOperationException($"The layer already has a {existing.Kind.ToString().ToLowerInvariant()} at '/{name}'.");
        }

        _entries[name] = entry;
    }

    /// <summary>Adds the missing parent folders of <paramref name="name"/>; a parent that is a file or a link is an error.</summary>
    private void AddParents(string name)
    {
        for (int slash = name.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            string parent = name[..slash];
            if (!_entries.TryGetValue(parent, out LayerEntry? existing))
            {
                _entries[parent] = new LayerEntry(EntryKind.Directory, DirectoryMode, 0, 0, 0, null, null, null);
            }
            else if (existing.Kind != EntryKind.Directory)
            {
                throw new InvalidOperationException($"'/{name}' cannot be added: '/{parent}' is a {existing.Kind.ToString().ToLowerInvariant()} in the layer, not a folder.");
            }
        }
    }

    /// <summary>"/opt//venv/" to "opt/venv": absolute, no "." or ".." segments, no NUL.</summary>
    internal static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path[0] != '/')
        {
            throw new ArgumentException($"'{path}' is not an absolute path in the image.", nameof(path));
        }

        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            throw new ArgumentException("The image's root folder cannot be a layer entry.", nameof(path));
        }

        if (segments.Any(s => s is "." or ".." || s.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"'{path}' has a '.', '..' or NUL in it; give the path as it is in the image.", nameof(path));
        }

        return string.Join('/', segments);
    }

    private enum EntryKind
    {
        Directory,
        File,
        Symlink,
    }

    private sealed record LayerEntry(EntryKind Kind, UnixFileMode Mode, int Uid, int Gid, long Length, Func<Stream>? Open, byte[]? Content, string? Target);
}
