using PyContainer.Oci;

namespace PyContainer.Tests.TestSupport;

/// <summary>An <see cref="ILayerSink"/> that keeps the entries in memory; a file's bytes are read when asked, as a layer writer would.</summary>
internal sealed class MemoryLayer : ILayerSink
{
    public sealed record Entry(char Kind, UnixFileMode Mode, long Length, Func<Stream>? Open, byte[]? Content, string? Target);

    public SortedDictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);

    public void AddDirectory(string path, UnixFileMode mode, int uid = 0, int gid = 0) => Entries[path] = new Entry('d', mode, 0, null, null, null);

    public void AddFile(string path, UnixFileMode mode, long length, Func<Stream> open) => Add(path, new Entry('f', mode, length, open, null, null));

    public void AddFile(string path, UnixFileMode mode, byte[] content) => Add(path, new Entry('f', mode, content.Length, null, content, null));

    public void AddSymlink(string path, string target) => Add(path, new Entry('l', 0, 0, null, null, target));

    public bool Contains(string path) => Entries.ContainsKey(path);

    public byte[] Read(string path)
    {
        Entry entry = Entries[path];
        if (entry.Content is not null)
        {
            return entry.Content;
        }

        using Stream stream = entry.Open!();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        Assert.Equal(entry.Length, buffer.Length);
        return buffer.ToArray();
    }

    public string Text(string path) => System.Text.Encoding.UTF8.GetString(Read(path));

    private void Add(string path, Entry entry)
    {
        if (!Entries.TryAdd(path, entry))
        {
            throw new InvalidOperationException($"{path} is already in the layer.");
        }
    }
}
