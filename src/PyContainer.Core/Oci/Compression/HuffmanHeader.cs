using static PyContainer.Oci.Compression.DeflateTables;

namespace PyContainer.Oci.Compression;

/// <summary>A block's literal/length and distance codes: lengths and bit-reversed canonical codes.</summary>
internal sealed class HuffmanCodes
{
    public ushort[] LiteralCodes { get; } = new ushort[288];

    public byte[] LiteralLengths { get; } = new byte[288];

    public ushort[] DistanceCodes { get; } = new ushort[DeflateTables.DistanceCodes];

    public byte[] DistanceLengths { get; } = new byte[DeflateTables.DistanceCodes];

    public void BuildCodes()
    {
        HuffmanCode.BuildCodes(LiteralLengths, LiteralCodes);
        HuffmanCode.BuildCodes(DistanceLengths, DistanceCodes);
    }
}

/// <summary>
/// The dynamic Huffman block header of §3.2.7: the codes for a block's frequencies, their lengths run-length coded
/// (16: repeat the previous 3-6 times, 17: 3-10 zeros, 18: 11-138 zeros) and the code-length code.
/// </summary>
internal sealed class HuffmanHeader
{
    private const int MaxBits = 15;
    private const int MaxCodeLengthBits = 7;

    private readonly int[] _codeLengthFrequencies = new int[CodeLengthCodes];
    private readonly byte[] _codeLengthLengths = new byte[CodeLengthCodes];
    private readonly ushort[] _codeLengthCodes = new ushort[CodeLengthCodes];

    // Run-length coded lengths: the symbol 0..18 and, for 16-18, the repeat count's extra bits.
    private readonly byte[] _runSymbols = new byte[LiteralLengthCodes + DeflateTables.DistanceCodes];
    private readonly byte[] _runExtra = new byte[LiteralLengthCodes + DeflateTables.DistanceCodes];
    private int _runs;
    private int _literalCount;
    private int _distanceCount;
    private int _codeLengthCount;

    /// <summary>The fixed code of §3.2.6.</summary>
    public static HuffmanCodes Fixed { get; } = CreateFixed();

    public HuffmanCodes Codes { get; } = new();

    /// <summary>Bits of the header after BTYPE: HLIT, HDIST, HCLEN, the code-length code and the coded lengths.</summary>
    public long HeaderBits { get; private set; }

    public void Build(int[] literalFrequencies, int[] distanceFrequencies)
    {
        HuffmanCode.BuildLengths(literalFrequencies, Codes.LiteralLengths, MaxBits);
        HuffmanCode.BuildLengths(distanceFrequencies, Codes.DistanceLengths, MaxBits);
        Codes.BuildCodes();
        _literalCount = Trimmed(Codes.LiteralLengths.AsSpan(0, LiteralLengthCodes), 257);
        _distanceCount = Trimmed(Codes.DistanceLengths, 1);

        Array.Clear(_codeLengthFrequencies);
        _runs = 0;
        AddRuns(Codes.LiteralLengths.AsSpan(0, _literalCount));
        AddRuns(Codes.DistanceLengths.AsSpan(0, _distanceCount));
        HuffmanCode.BuildLengths(_codeLengthFrequencies, _codeLengthLengths, MaxCodeLengthBits);
        HuffmanCode.BuildCodes(_codeLengthLengths, _codeLengthCodes);
        _codeLengthCount = CodeLengthCodes;
        while (_codeLengthCount > 4 && _codeLengthLengths[CodeLengthOrder[_codeLengthCount - 1]] == 0)
        {
            _codeLengthCount--;
        }

        long bits = 5 + 5 + 4 + (3L * _codeLengthCount);
        for (int i = 0; i < _runs; i++)
        {
            bits += _codeLengthLengths[_runSymbols[i]] + ExtraBits(_runSymbols[i]);
        }

        HeaderBits = bits;
    }

    /// <summary>Bits of the block's literals, lengths, distances and end of block, without extra bits.</summary>
    public long SymbolBits(int[] literalFrequencies, int[] distanceFrequencies)
    {
        long bits = 0;
        for (int symbol = 0; symbol < LiteralLengthCodes; symbol++)
        {
            bits += (long)literalFrequencies[symbol] * Codes.LiteralLengths[symbol];
        }

        for (int code = 0; code < DeflateTables.DistanceCodes; code++)
        {
            bits += (long)distanceFrequencies[code] * Codes.DistanceLengths[code];
        }

        return bits;
    }

    public void Write(DeflateBitWriter output)
    {
        output.WriteBits((uint)(_literalCount - 257), 5);
        output.WriteBits((uint)(_distanceCount - 1), 5);
        output.WriteBits((uint)(_codeLengthCount - 4), 4);
        for (int i = 0; i < _codeLengthCount; i++)
        {
            output.WriteBits(_codeLengthLengths[CodeLengthOrder[i]], 3);
        }

        for (int i = 0; i < _runs; i++)
        {
            int symbol = _runSymbols[i];
            output.WriteBits(_codeLengthCodes[symbol], _codeLengthLengths[symbol]);
            int extra = ExtraBits(symbol);
            if (extra > 0)
            {
                output.WriteBits(_runExtra[i], extra);
            }
        }
    }

    private static int ExtraBits(int symbol) => symbol switch
    {
        16 => 2,
        17 => 3,
        18 => 7,
        _ => 0,
    };

    private static int Trimmed(ReadOnlySpan<byte> lengths, int minimum)
    {
        int count = lengths.Length;
        while (count > minimum && lengths[count - 1] == 0)
        {
            count--;
        }

        return count;
    }

    private static HuffmanCodes CreateFixed()
    {
        var codes = new HuffmanCodes();
        FixedLiteralLengths.CopyTo(codes.LiteralLengths, 0);
        FixedDistanceLengths.CopyTo(codes.DistanceLengths, 0);
        codes.BuildCodes();
        return codes;
    }

    /// <summary>Run-length codes one code's lengths; runs do not cross from the literal to the distance lengths.</summary>
    private void AddRuns(ReadOnlySpan<byte> lengths)
    {
        int i = 0;
        while (i < lengths.Length)
        {
            byte length = lengths[i];
            int run = 1;
            while (i + run < lengths.Length && lengths[i + run] == length)
            {
                run++;
            }

            i += run;
            if (length == 0)
            {
                for (; run >= 11; run -= Math.Min(run, 138))
                {
                    AddRun(18, Math.Min(run, 138) - 11);
                }

                if (run >= 3)
                {
                    AddRun(17, run - 3);
                    run = 0;
                }
            }
            else
            {
                AddRun(length, 0);
                for (run--; run >= 3; run -= Math.Min(run, 6))
                {
                    AddRun(16, Math.Min(run, 6) - 3);
                }
            }

            for (; run > 0; run--)
            {
                AddRun(length, 0);
            }
        }
    }

    private void AddRun(int symbol, int extra)
    {
        _runSymbols[_runs] = (byte)symbol;
        _runExtra[_runs++] = (byte)extra;
        _codeLengthFrequencies[symbol]++;
    }
}
