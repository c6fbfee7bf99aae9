using PyContainer.Oci;
using PyContainer.Oci.Compression;

namespace PyContainer.Tests.Oci;

/// <summary>Length-limited Huffman codes: never longer than the limit, always complete (inflaters require it).</summary>
public sealed class HuffmanCodeTests
{
    [Theory]
    [InlineData(15, 30)]
    [InlineData(15, 286)]
    [InlineData(7, 19)]
    public void Skewed_frequencies_are_limited_and_the_code_stays_complete(int maxBits, int symbols)
    {
        // Fibonacci weights would give a tree as deep as there are symbols (capped so the sum fits an int).
        int[] frequencies = new int[symbols];
        long cap = int.MaxValue / symbols;
        long a = 1;
        long b = 1;
        for (int i = 0; i < symbols; i++)
        {
            frequencies[i] = (int)Math.Min(a, cap);
            (a, b) = (Math.Min(b, cap), Math.Min(a + b, cap));
        }

        byte[] lengths = new byte[symbols];
        HuffmanCode.BuildLengths(frequencies, lengths, maxBits);

        Assert.All(lengths, length => Assert.InRange(length, 1, maxBits));
        Assert.Equal(1.0, lengths.Sum(length => Math.Pow(2, -length)), 12);
        Assert.True(lengths[^1] <= lengths[0], "the most frequent symbol got a longer code than the rarest");
    }

    [Theory]
    [InlineData(new int[] { 0, 0, 0 }, new byte[] { 1, 1, 0 })]
    [InlineData(new int[] { 0, 0, 5 }, new byte[] { 1, 0, 1 })]
    [InlineData(new int[] { 5, 0, 0 }, new byte[] { 1, 1, 0 })]
    [InlineData(new int[] { 1, 1, 2 }, new byte[] { 2, 2, 1 })]
    public void Fewer_than_two_symbols_still_get_a_complete_code(int[] frequencies, byte[] expected)
    {
        byte[] lengths = new byte[frequencies.Length];

        HuffmanCode.BuildLengths(frequencies, lengths, 15);

        Assert.Equal(expected, lengths);
    }

    [Fact]
    public void Canonical_codes_follow_the_RFC_example()
    {
        // RFC 1951 §3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) give F=00, A=010 ... H=1111 (written bit-reversed).
        byte[] lengths = [3, 3, 3, 3, 3, 2, 4, 4];
        ushort[] codes = new ushort[8];

        HuffmanCode.BuildCodes(lengths, codes);

        ushort[] expected = [0b010, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111];
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(Reverse(expected[i], lengths[i]), codes[i]);
        }
    }

    private static int Reverse(int code, int length)
    {
        int reversed = 0;
        for (int i = 0; i < length; i++, code >>= 1)
        {
            reversed = (reversed << 1) | (code & 1);
        }

        return reversed;
    }
}
