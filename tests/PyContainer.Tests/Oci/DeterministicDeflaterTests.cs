using PyContainer.Oci;
using PyContainer.Oci.Compression;
using static PyContainer.Tests.Oci.DeflateSamples;

namespace PyContainer.Tests.Oci;

/// <summary>Our deflate encoder: what it writes, System.IO.Compression's inflater reads back, byte for byte.</summary>
public sealed class DeterministicDeflaterTests
{
    public static TheoryData<string> Inputs() =>
    [
        "empty", "one byte", "zeros 1 MiB", "random 1 MiB", "text 300 KiB", "tar of 200 files", "runs of 258",
        "window - 1", "window", "window + 1", "three windows + 263", "block input + 1", "block symbols + 1",
    ];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Round_trips_through_the_runtime_inflater(string name)
    {
        byte[] input = Input(name);

        byte[] compressed = Deflate(input);

        Assert.Equal(input, Inflate(compressed));
    }

    [Fact]
    public void Random_bytes_fall_back_to_stored_blocks()
    {
        byte[] input = DeflateSamples.Random(1 << 20, 7);

        byte[] compressed = Deflate(input);

        // Stored: 5 bytes a block, where a Huffman code would grow incompressible bytes by a few per cent.
        Assert.InRange(compressed.Length, input.Length, input.Length + (input.Length / 1000));
    }

    [Fact]
    public void Zeros_compress_to_almost_nothing()
    {
        byte[] compressed = Deflate(new byte[1 << 20]);

        Assert.True(compressed.Length < 2048, $"{compressed.Length} bytes");
    }

    [Fact]
    public void The_output_does_not_depend_on_how_the_input_is_split()
    {
        // Past three windows and two blocks, with matches across every write boundary.
        byte[] input = [.. Text(150_000, 3), .. DeflateSamples.Random(20_000, 4), .. new byte[70_000], .. Text(100_000, 3)];
        byte[] whole = Deflate(input);

        foreach (int chunk in (int[])[1, 7, 258, 4096, 65536, 98305])
        {
            Assert.Equal(whole, Deflate(input, chunk));
        }
    }

    [Fact]
    public void A_repeat_exactly_32768_bytes_back_is_found()
    {
        byte[] block = DeflateSamples.Random(1000, 11);
        byte[] filler = DeflateSamples.Random(32768 - 1000, 12);
        byte[] repeated = [.. block, .. filler, .. block];
        byte[] other = [.. block, .. filler, .. DeflateSamples.Random(1000, 13)];

        byte[] compressed = Deflate(repeated);

        Assert.Equal(repeated, Inflate(compressed));
        Assert.True(compressed.Length < Deflate(other).Length - 900, "the repeat was not coded as a match");
    }

    [Fact]
    public void A_repeat_32769_bytes_back_is_out_of_reach_and_still_round_trips()
    {
        byte[] block = DeflateSamples.Random(1000, 11);
        byte[] input = [.. block, .. DeflateSamples.Random(32769 - 1000, 12), .. block];

        Assert.Equal(input, Inflate(Deflate(input)));
    }

    [Fact]
    public void Mixed_inputs_round_trip()
    {
        for (uint seed = 1; seed <= 20; seed++)
        {
            var parts = new List<byte>();
            for (int part = 0; part < 8; part++)
            {
                int length = (int)((seed * 7919 * (uint)(part + 1)) % 40_000);
                parts.AddRange(((seed + (uint)part) % 3) switch
                {
                    0 => Text(length, seed * 31 + (uint)part),
                    1 => DeflateSamples.Random(length % 3000, seed),
                    _ => Enumerable.Repeat((byte)part, length),
                });
            }

            byte[] input = [.. parts];
            Assert.Equal(input, Inflate(Deflate(input)));
        }
    }

    [Fact]
    public void Writes_after_finishing_are_refused()
    {
        var deflater = new DeterministicDeflater();
        deflater.Finish();

        Assert.Throws<ObjectDisposedException>(() => deflater.Write([1]));
    }

    private static byte[] Input(string name) => name switch
    {
        "empty" => [],
        "one byte" => [42],
        "zeros 1 MiB" => new byte[1 << 20],
        "random 1 MiB" => DeflateSamples.Random(1 << 20, 1),
        "text 300 KiB" => Text(300 * 1024, 2),
        "tar of 200 files" => Tar(200, 5),
        "runs of 258" => [.. Enumerable.Range(0, 5000).SelectMany(i => Enumerable.Repeat((byte)(i % 3), 250 + (i % 20)))],
        "window - 1" => Text(32767, 6),
        "window" => Text(32768, 6),
        "window + 1" => Text(32769, 6),
        "three windows + 263" => Text((3 * 32768) + 263, 6),
        "block input + 1" => [.. new byte[DeflateBlockWriter.MaxInput + 1], .. Text(1000, 8)],
        "block symbols + 1" => DeflateSamples.Random(DeflateBlockWriter.MaxSymbols + 1, 9),
        _ => throw new ArgumentException(name, nameof(name)),
    };
}
