namespace PyContainer.Oci.Compression;

/// <summary>
/// Deflate's bit packing (§3.1.1: least significant bit first) into a growable byte buffer the owner drains.
/// </summary>
internal sealed class DeflateBitWriter
{
    private byte[] _buffer = new byte[1 << 16];
    private int _length;
    private ulong _bits;
    private int _bitCount;

    /// <summary>The complete bytes written so far and not yet taken by <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    /// <summary>Bits waiting for a full byte, 0..7 after <see cref="Reserve"/>.</summary>
    public int PendingBits => _bitCount;

    public void Clear() => _length = 0;

    /// <summary>Makes room for <paramref name="bits"/> more bits so the writes after it need no check.</summary>
    public void Reserve(long bits)
    {
        Drain();
        long needed = _length + (bits / 8) + 16;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Max(needed, 2L * _buffer.Length));
        }
    }

    /// <summary>Appends the low <paramref name="count"/> bits of <paramref name="value"/>, at most 32 at once.</summary>
    public void WriteBits(uint value, int count)
    {
        _bits |= (ulong)value << _bitCount;
        _bitCount += count;
        if (_bitCount >= 32)
        {
            byte[] buffer = _buffer;
            int at = _length;
            buffer[at] = (byte)_bits;
            buffer[at + 1] = (byte)(_bits >> 8);
            buffer[at + 2] = (byte)(_bits >> 16);
            buffer[at + 3] = (byte)(_bits >> 24);
            _length = at + 4;
            _bits >>= 32;
            _bitCount -= 32;
        }
    }

    /// <summary>Pads with zero bits to the next byte boundary (before a stored block's LEN and after the last block).</summary>
    public void AlignToByte()
    {
        _bitCount = (_bitCount + 7) & ~7;
        Drain();
    }

    /// <summary>Copies whole bytes; the writer must be byte aligned.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Drain()
    {
        while (_bitCount >= 8)
        {
            _buffer[_length++] = (byte)_bits;
            _bits >>= 8;
            _bitCount -= 8;
        }
    }
}
