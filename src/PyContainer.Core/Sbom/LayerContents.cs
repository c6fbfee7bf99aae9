using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace PyContainer.Sbom;

/// <summary>
/// What one layer tar says for an inventory: its whiteouts and the few files an inventory reads (dist-info METADATA,
/// dpkg's status and its per-package .list files), nothing else, so a big layer costs one streaming pass.
/// </summary>
internal sealed class LayerContents
{
    public const string DpkgStatus = "var/lib/dpkg/status";
    public const string DpkgInfo = "var/lib/dpkg/info/";

    /// <summary>Paths a <c>.wh.NAME</c> entry removes (with everything under them) from the layers below.</summary>
    public List<string> Removed { get; } = [];

    /// <summary>Folders an opaque whiteout (<c>.wh..wh..opq</c>) empties in the layers below.</summary>
    public List<string> Emptied { get; } = [];

    /// <summary>The files kept, by path (no leading '/'): METADATA and dpkg status texts; .list files with no text.</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads a layer, gzip-compressed or plain (told apart by its first bytes).</summary>
    public static LayerContents Read(Stream layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var contents = new LayerContents();
        var peek = new PeekStream(layer);
        using Stream tar = peek.StartsWithGzip() ? new GZipStream(peek, CompressionMode.Decompress, leaveOpen: true) : peek;
        using var reader = new TarReader(tar, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            string path = Normalize(entry.Name);
            int slash = path.LastIndexOf('/');
            string folder = slash < 0 ? "" : path[..slash];
            string name = path[(slash + 1)..];
            if (name == ".wh..wh..opq")
            {
                contents.Emptied.Add(folder);
            }
            else if (name.StartsWith(".wh.", StringComparison.Ordinal))
            {
                contents.Removed.Add(folder.Length == 0 ? name[4..] : folder + "/" + name[4..]);
            }
            else if ((entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile) && IsKept(path, folder, name))
            {
                contents.Files[path] = name.EndsWith(".list", StringComparison.Ordinal) || entry.DataStream is null
                    ? ""
                    : new StreamReader(entry.DataStream, Encoding.UTF8).ReadToEnd();
            }
        }

        // The rest of the stream (the tar's end blocks, gzip's trailer), so a hashing caller sees every byte.
        peek.CopyTo(Stream.Null);
        return contents;
    }

    private static bool IsKept(string path, string folder, string name) =>
        path == DpkgStatus
        || (name == "METADATA" && folder.EndsWith(".dist-info", StringComparison.Ordinal))
        || (path.StartsWith(DpkgInfo, StringComparison.Ordinal) && folder.Length + 1 == DpkgInfo.Length && name.EndsWith(".list", StringComparison.Ordinal));

    /// <summary>"./usr//lib/" as "usr/lib".</summary>
    private static string Normalize(string name) =>
        string.Join('/', name.Replace('\\', '/').Split('/').Where(p => p.Length > 0 && p != "."));

    /// <summary>A forward-only stream that can look at its first two bytes without losing them.</summary>
    private sealed class PeekStream(Stream inner) : Stream
    {
        private readonly byte[] _head = new byte[2];
        private int _headLength;
        private int _headPosition;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool StartsWithGzip()
        {
            while (_headLength < 2 && inner.Read(_head, _headLength, 2 - _headLength) is > 0 and int read)
            {
                _headLength += read;
            }

            return _headLength == 2 && _head[0] == 0x1f && _head[1] == 0x8b;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_headPosition < _headLength)
            {
                int n = Math.Min(count, _headLength - _headPosition);
                Array.Copy(_head, _headPosition, buffer, offset, n);
                _headPosition += n;
                return n;
            }

            return inner.Read(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
