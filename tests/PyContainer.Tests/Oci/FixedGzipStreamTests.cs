using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using PyContainer.Oci;
using PyContainer.Oci.Compression;
using static PyContainer.Tests.Oci.DeflateSamples;

namespace PyContainer.Tests.Oci;

/// <summary>The layer gzip: fixed bytes for fixed input, on any machine, readable by every gzip reader.</summary>
public sealed class FixedGzipStreamTests
{
    /// <summary>
    /// The cross-machine guarantee: this digest may only change with a deliberate change of the encoder (and with it
    /// every layer digest PyContainer has ever produced).
    /// </summary>
    private const string GoldenDigest = "38bd02005721bebe3a7548ce4e80a7fbd8753d3166d41d3b9e0ac1bd78ad2baa";

    [Fact]
    public async Task A_fixed_input_always_compresses_to_the_pinned_digest()
    {
        byte[] gzip = await GzipAsync(GoldenInput(), 65536);

        Assert.Equal(GoldenDigest, Convert.ToHexString(SHA256.HashData(gzip)).ToLowerInvariant());
    }

    [Fact]
    public async Task Small_and_large_writes_give_the_same_bytes()
    {
        byte[] input = Tar(60, 21);

        byte[] whole = await GzipAsync(input, input.Length);

        Assert.Equal(whole, await GzipAsync(input, 1));
        Assert.Equal(whole, await GzipAsync(input, 512));
    }

    [Fact]
    public async Task The_runtime_GZipStream_reads_it_back()
    {
        byte[] input = Tar(100, 22);

        using var gunzip = new GZipStream(new MemoryStream(await GzipAsync(input, 10_000)), CompressionMode.Decompress);
        var output = new MemoryStream();
        await gunzip.CopyToAsync(output);

        Assert.Equal(input, output.ToArray());
    }

    [Fact]
    public async Task An_empty_input_is_a_valid_gzip()
    {
        byte[] gzip = await GzipAsync([], 1);

        using var gunzip = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        Assert.Equal(-1, gunzip.ReadByte());
    }

    [Fact]
    public async Task Gnu_gzip_tests_and_decompresses_it()
    {
        if (FindOnPath("gzip") is not { } gzipPath)
        {
            return; // Debian and the CI images have gzip; a machine without it has nothing to compare with.
        }

        byte[] input = [.. Tar(80, 23), .. DeflateSamples.Random(70_000, 24), .. new byte[100_000]];
        string file = Path.Combine(Path.GetTempPath(), $"pyc-gzip-{Guid.NewGuid():N}.gz");
        try
        {
            await File.WriteAllBytesAsync(file, await GzipAsync(input, 4096));

            (int testCode, _) = await RunAsync(gzipPath, "-t", file);
            (int catCode, byte[] content) = await RunAsync(gzipPath, "-dc", file);

            Assert.Equal(0, testCode);
            Assert.Equal(0, catCode);
            Assert.Equal(input, content);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Text, random bytes and zero runs (every block type, several window slides), from xorshift alone: no TarWriter
    /// or System.Random, whose output a new .NET could change.
    /// </summary>
    private static byte[] GoldenInput() =>
        [.. Text(200_000, 101), .. DeflateSamples.Random(40_000, 103), .. new byte[150_000], .. Text(1000, 104)];

    private static async Task<byte[]> GzipAsync(byte[] input, int chunk)
    {
        var output = new MemoryStream();
        using (var gzip = new FixedGzipStream(output))
        {
            for (int offset = 0; offset < input.Length; offset += chunk)
            {
                await gzip.WriteAsync(input.AsMemory(offset, Math.Min(chunk, input.Length - offset)));
            }

            await gzip.FinishAsync(CancellationToken.None);
        }

        return output.ToArray();
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, byte[] Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        var output = new MemoryStream();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        Assert.Equal("", await errors);
        return (process.ExitCode, output.ToArray());
    }
}
