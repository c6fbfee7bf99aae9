using System.Numerics;

namespace PyContainer.Oci.Compression;

/// <summary>
/// The constant tables of RFC 1951 §3.2.5-3.2.6: length and distance codes with their extra bits, the fixed Huffman
/// code and the order the code-length code's lengths are sent in. Built from the RFC's rules, not typed in.
/// </summary>
internal static class DeflateTables
{
    public const int MinMatch = 3;
    public const int MaxMatch = 258;
    public const int WindowSize = 32768;
    public const int EndOfBlock = 256;
    public const int LiteralLengthCodes = 286;
    public const int DistanceCodes = 30;
    public const int CodeLengthCodes = 19;

    /// <summary>Extra bits of length codes 257..285 (index 0..28).</summary>
    public static readonly byte[] LengthExtra = new byte[29];

    /// <summary>Smallest length of length codes 257..285 (index 0..28).</summary>
    public static readonly ushort[] LengthBase = new ushort[29];

    /// <summary>Length code index (0..28) of a match length minus 3.</summary>
    public static readonly byte[] LengthCode = new byte[256];

    public static readonly byte[] DistanceExtra = new byte[DistanceCodes];

    public static readonly ushort[] DistanceBase = new ushort[DistanceCodes];

    /// <summary>The order of §3.2.7 in which the code-length code's lengths are written.</summary>
    public static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>The fixed literal/length code's lengths (§3.2.6): 288 symbols, 286 and 287 never used.</summary>
    public static readonly byte[] FixedLiteralLengths = new byte[288];

    public static readonly byte[] FixedDistanceLengths = new byte[DistanceCodes];

    static DeflateTables()
    {
        // Codes 257..264 have no extra bits, then every four codes one more, up to 5; 285 alone is 258.
        int length = MinMatch;
        for (int code = 0; code < 28; code++)
        {
            int extra = code < 8 ? 0 : (code / 4) - 1;
            LengthExtra[code] = (byte)extra;
            LengthBase[code] = (ushort)length;
            for (int i = 0; i < 1 << extra && length < MaxMatch; i++, length++)
            {
                LengthCode[length - MinMatch] = (byte)code;
            }
        }

        LengthBase[28] = MaxMatch;
        LengthCode[MaxMatch - MinMatch] = 28;

        // Distance codes 0..3 have no extra bits, then every two codes one more, up to 13.
        int distance = 1;
        for (int code = 0; code < DistanceCodes; code++)
        {
            int extra = code < 4 ? 0 : (code / 2) - 1;
            DistanceExtra[code] = (byte)extra;
            DistanceBase[code] = (ushort)distance;
            distance += 1 << extra;
        }

        for (int symbol = 0; symbol < 288; symbol++)
        {
            FixedLiteralLengths[symbol] = symbol switch
            {
                < 144 => 8,
                < 256 => 9,
                < 280 => 7,
                _ => 8,
            };
        }

        Array.Fill(FixedDistanceLengths, (byte)5);
    }

    /// <summary>The distance code (0..29) of a distance 1..32768: two codes per power of two past the first four.</summary>
    public static int DistanceCode(int distance)
    {
        int d = distance - 1;
        if (d < 4)
        {
            return d;
        }

        int log = BitOperations.Log2((uint)d);
        return (2 * log) + ((d >> (log - 1)) & 1);
    }
}
