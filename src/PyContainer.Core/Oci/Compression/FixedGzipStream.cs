namespace PyContainer.Oci.Compression;

/// <summary>
/// A gzip member whose bytes depend on nothing but the input: a fixed header (no file name, mtime 0, no extra flags,
/// OS "unknown" as Go's gzip writes it; GZipStream's carries the OS code its zlib build chose) around
/// <see cref="DeterministicDeflater"/>, our own deflate encoder. The runtime's zlib is not used: its output changes
/// between zlib and zlib-ng builds, so across .NET versions, and with it a layer's digest would.
/// </summary>
internal sealed class FixedGzipStream : Stream
{
    private static readonly byte[] Header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    private readonly Stream _inner;
    private readonly DeterministicDeflater _deflate = new();
    private uint _crc = 0xFFFF_FFFF;
    private long _length;
    private bool _headerWritten;
    private bool _finished;

    public FixedGzipStream(Stream inner) => _inner = inner;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_headerWritten)
        {
            await _inner.WriteAsync(Header, cancellationToken);
            _headerWritten = true;
        }

        _crc = Crc32.Update(_crc, buffer.Span);
        _length += buffer.Length;
        _deflate.Write(buffer.Span);
        await DrainAsync(cancellationToken);
    }

    /// <summary>Ends the deflate stream and writes the trailer (CRC-32 and length mod 2^32, little-endian).</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        if (!_headerWritten)
        {
            await _inner.WriteAsync(Header, cancellationToken);
            _headerWritten = true;
        }

        _deflate.Finish();
        await DrainAsync(cancellationToken);
        var trailer = new byte[8];
        BitConverter.TryWriteBytes(trailer.AsSpan(0, 4), ~_crc);
        BitConverter.TryWriteBytes(trailer.AsSpan(4, 4), (uint)_length);
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(trailer, 0, 4);
            Array.Reverse(trailer, 4, 4);
        }

        await _inner.WriteAsync(trailer, cancellationToken);
        _finished = true;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (!_deflate.Output.IsEmpty)
        {
            await _inner.WriteAsync(_deflate.Output, cancellationToken);
            _deflate.ClearOutput();
        }
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as gzip's trailer needs it.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Build();

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (byte b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        private static uint[] Build()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
