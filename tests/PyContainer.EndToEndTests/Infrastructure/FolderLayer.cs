using PyContainer.Oci;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// An <see cref="ILayerSink"/> that lays the entries under one image folder (e.g. /opt/venv) out in a real folder,
/// so a container can mount it there: the layer's files, modes and symbolic links as the image would have them.
/// Unix only, like the engine the tests mount it into.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FolderLayer(string imageFolder, string directory) : ILayerSink
{
    private readonly SortedDictionary<string, Action> _entries = new(StringComparer.Ordinal);

    public void AddDirectory(string path, UnixFileMode mode, int uid = 0, int gid = 0) =>
        _entries[path] = () =>
        {
            Directory.CreateDirectory(Local(path));
            File.SetUnixFileMode(Local(path), mode);
        };

    public void AddFile(string path, UnixFileMode mode, long length, Func<Stream> open) => Add(path, () =>
    {
        using (Stream source = open())
        using (FileStream target = File.Create(Local(path)))
        {
            source.CopyTo(target);
            Assert.Equal(length, target.Length);
        }

        File.SetUnixFileMode(Local(path), mode);
    });

    public void AddFile(string path, UnixFileMode mode, byte[] content) => AddFile(path, mode, content.Length, () => new MemoryStream(content));

    public void AddSymlink(string path, string target) => Add(path, () => File.CreateSymbolicLink(Local(path), target));

    public bool Contains(string path) => _entries.ContainsKey(path);

    /// <summary>Writes every entry, parents first, as a layer writer would read them.</summary>
    public void Write()
    {
        foreach ((string path, Action write) in _entries)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Local(path))!);
            write();
        }
    }

    private void Add(string path, Action write)
    {
        if (!_entries.TryAdd(path, write))
        {
            throw new InvalidOperationException($"{path} is already in the layer.");
        }
    }

    private string Local(string path)
    {
        Assert.StartsWith(imageFolder, path, StringComparison.Ordinal);
        return Path.Combine(directory, path[imageFolder.Length..].TrimStart('/'));
    }
}
