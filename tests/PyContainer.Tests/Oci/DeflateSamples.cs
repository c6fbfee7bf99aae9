using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using PyContainer.Oci;
using PyContainer.Oci.Compression;

namespace PyContainer.Tests.Oci;

/// <summary>Inputs for the deflate tests, generated from fixed seeds so they are the same on every machine.</summary>
internal static class DeflateSamples
{
    private static readonly string[] Words =
    [
        "def", "return", "self", "import", "from", "class", "if", "else:", "for", "in", "None", "True", "raise",
        "ValueError", "__init__", "kwargs", "args", "value", "result", "path", "os.path.join", "len", "items",
        "yield", "async", "await", "with", "open", "encoding='utf-8'", "lambda", "dict", "list", "str", "int",
    ];

    /// <summary>Python-like text: indented lines of words and numbers, the kind of bytes layers mostly hold.</summary>
    public static byte[] Text(int length, uint seed)
    {
        var random = new XorShift(seed);
        var text = new StringBuilder(length + 200);
        while (text.Length < length)
        {
            text.Append(' ', 4 * (int)random.Next(4));
            int words = 1 + (int)random.Next(9);
            for (int i = 0; i < words; i++)
            {
                text.Append(Words[random.Next((uint)Words.Length)]).Append(random.Next(5) == 0 ? "(" : " ");
                if (random.Next(7) == 0)
                {
                    text.Append(random.Next(100_000));
                }
            }

            text.Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    public static byte[] Random(int length, uint seed)
    {
        var random = new XorShift(seed);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.Next(256);
        }

        return bytes;
    }

    /// <summary>A ustar archive of <paramref name="files"/> generated source files (headers, padding, text).</summary>
    public static byte[] Tar(int files, uint seed)
    {
        var output = new MemoryStream();
        using (var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var random = new XorShift(seed);
            for (int i = 0; i < files; i++)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, $"site-packages/pkg{i % 13}/module_{i}.py")
                {
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(Text(200 + (int)random.Next(6000), seed + (uint)i)),
                };
                tar.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    /// <summary>Raw deflate of <paramref name="input"/>, handed over <paramref name="chunk"/> bytes at a time.</summary>
    public static byte[] Deflate(ReadOnlySpan<byte> input, int chunk = int.MaxValue)
    {
        var deflater = new DeterministicDeflater();
        var output = new MemoryStream();
        do
        {
            int count = Math.Min(chunk, input.Length);
            deflater.Write(input[..count]);
            input = input[count..];
            output.Write(deflater.Output.Span);
            deflater.ClearOutput();
        }
        while (!input.IsEmpty);

        deflater.Finish();
        output.Write(deflater.Output.Span);
        return output.ToArray();
    }

    public static byte[] Inflate(byte[] deflate)
    {
        using var inflater = new DeflateStream(new MemoryStream(deflate), CompressionMode.Decompress);
        var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>xorshift32: a generator whose sequence is fixed by its definition, unlike System.Random's.</summary>
    private sealed class XorShift(uint seed)
    {
        private uint _state = seed == 0 ? 0x2545F491u : seed;

        public uint Next(uint bound)
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return _state % bound;
        }
    }
}
