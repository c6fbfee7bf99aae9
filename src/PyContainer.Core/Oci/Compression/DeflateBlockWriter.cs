using static PyContainer.Oci.Compression.DeflateTables;

namespace PyContainer.Oci.Compression;

/// <summary>
/// Collects one block's literals and matches, then writes it (§3.2.3) as whichever of dynamic Huffman, fixed Huffman
/// or stored is smallest in bits (ties: dynamic, then fixed). A block ends after a fixed number of symbols or input
/// bytes, so block boundaries depend only on the input.
/// </summary>
internal sealed class DeflateBlockWriter
{
    /// <summary>Symbols per block: enough to pay for a dynamic header, few enough to follow the data's changes.</summary>
    public const int MaxSymbols = 16384;

    /// <summary>Input bytes per block, so the block's bytes stay at hand for the stored fallback.</summary>
    public const int MaxInput = 128 * 1024;

    private readonly DeflateBitWriter _output;
    private readonly ushort[] _values = new ushort[MaxSymbols];
    private readonly ushort[] _distances = new ushort[MaxSymbols];
    private readonly byte[] _input = new byte[MaxInput + MaxMatch];
    private readonly int[] _literalFrequencies = new int[LiteralLengthCodes];
    private readonly int[] _distanceFrequencies = new int[DistanceCodes];
    private readonly HuffmanHeader _header = new();
    private int _symbols;
    private int _inputLength;

    public DeflateBlockWriter(DeflateBitWriter output) => _output = output;

    /// <summary>Whether the block is full and must be written before the next symbol.</summary>
    public bool IsFull => _symbols == MaxSymbols || _inputLength >= MaxInput;

    public void AddLiteral(byte literal)
    {
        _values[_symbols] = literal;
        _distances[_symbols++] = 0;
        _literalFrequencies[literal]++;
        _input[_inputLength++] = literal;
    }

    /// <summary>Adds a match; <paramref name="bytes"/> are the <paramref name="length"/> input bytes it stands for.</summary>
    public void AddMatch(int length, int distance, ReadOnlySpan<byte> bytes)
    {
        _values[_symbols] = (ushort)length;
        _distances[_symbols++] = (ushort)distance;
        _literalFrequencies[257 + LengthCode[length - MinMatch]]++;
        _distanceFrequencies[DistanceCode(distance)]++;
        bytes.CopyTo(_input.AsSpan(_inputLength));
        _inputLength += length;
    }

    /// <summary>Writes the collected block (possibly empty) and starts a new one.</summary>
    public void Flush(bool final)
    {
        _literalFrequencies[EndOfBlock] = 1;
        _header.Build(_literalFrequencies, _distanceFrequencies);
        long extra = ExtraBits();
        long dynamicBits = 3 + _header.HeaderBits + _header.SymbolBits(_literalFrequencies, _distanceFrequencies) + extra;
        long fixedBits = 3 + FixedSymbolBits() + extra;
        long storedBits = StoredBits();
        if (storedBits < Math.Min(dynamicBits, fixedBits))
        {
            WriteStored(final, storedBits);
        }
        else if (fixedBits < dynamicBits)
        {
            _output.Reserve(fixedBits);
            _output.WriteBits(final ? 3u : 2u, 3);
            WriteSymbols(HuffmanHeader.Fixed);
        }
        else
        {
            _output.Reserve(dynamicBits);
            _output.WriteBits(final ? 5u : 4u, 3);
            _header.Write(_output);
            WriteSymbols(_header.Codes);
        }

        Array.Clear(_literalFrequencies);
        Array.Clear(_distanceFrequencies);
        _symbols = 0;
        _inputLength = 0;
    }

    private void WriteSymbols(HuffmanCodes codes)
    {
        ushort[] literalCodes = codes.LiteralCodes;
        byte[] literalLengths = codes.LiteralLengths;
        ushort[] distanceCodes = codes.DistanceCodes;
        byte[] distanceLengths = codes.DistanceLengths;
        for (int i = 0; i < _symbols; i++)
        {
            int value = _values[i];
            int distance = _distances[i];
            if (distance == 0)
            {
                _output.WriteBits(literalCodes[value], literalLengths[value]);
                continue;
            }

            // Code and extra bits in one write: at most 15 + 5 and 15 + 13 bits.
            int lengthCode = LengthCode[value - MinMatch];
            int symbol = 257 + lengthCode;
            int bits = literalLengths[symbol];
            uint lengthExtra = (uint)(value - LengthBase[lengthCode]);
            _output.WriteBits(literalCodes[symbol] | (lengthExtra << bits), bits + LengthExtra[lengthCode]);
            int distanceCode = DistanceCode(distance);
            bits = distanceLengths[distanceCode];
            uint distanceExtra = (uint)(distance - DistanceBase[distanceCode]);
            _output.WriteBits(distanceCodes[distanceCode] | (distanceExtra << bits), bits + DistanceExtra[distanceCode]);
        }

        _output.WriteBits(literalCodes[EndOfBlock], literalLengths[EndOfBlock]);
    }

    private void WriteStored(bool final, long bits)
    {
        _output.Reserve(bits);
        int offset = 0;
        do
        {
            int length = Math.Min(_inputLength - offset, ushort.MaxValue);
            bool last = offset + length == _inputLength;
            _output.WriteBits(final && last ? 1u : 0u, 3);
            _output.AlignToByte();
            _output.WriteBits((uint)length | ((uint)(ushort)~length << 16), 32);
            _output.WriteBytes(_input.AsSpan(offset, length));
            offset += length;
        }
        while (offset < _inputLength);
    }

    /// <summary>Stored size: per chunk of up to 65535 bytes, 3 header bits, padding to a byte, LEN and NLEN.</summary>
    private long StoredBits()
    {
        int chunks = Math.Max(1, (_inputLength + ushort.MaxValue - 1) / ushort.MaxValue);
        int firstPadding = (8 - ((_output.PendingBits + 3) & 7)) & 7;
        return (3L * chunks) + firstPadding + (5L * (chunks - 1)) + (32L * chunks) + (8L * _inputLength);
    }

    private long ExtraBits()
    {
        long bits = 0;
        for (int code = 0; code < 29; code++)
        {
            bits += (long)_literalFrequencies[257 + code] * LengthExtra[code];
        }

        for (int code = 0; code < DistanceCodes; code++)
        {
            bits += (long)_distanceFrequencies[code] * DistanceExtra[code];
        }

        return bits;
    }

    private long FixedSymbolBits()
    {
        long bits = 0;
        for (int symbol = 0; symbol < LiteralLengthCodes; symbol++)
        {
            bits += (long)_literalFrequencies[symbol] * FixedLiteralLengths[symbol];
        }

        for (int code = 0; code < DistanceCodes; code++)
        {
            bits += (long)_distanceFrequencies[code] * FixedDistanceLengths[code];
        }

        return bits;
    }
}
