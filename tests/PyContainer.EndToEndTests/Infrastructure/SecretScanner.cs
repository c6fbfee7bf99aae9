using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// Looks for secrets everywhere an image carries data: `docker image inspect` (config), `docker history`, and
/// the name and contents of every file of every layer of `docker save`, plus the archive's own metadata files.
/// </summary>
public static class SecretScanner
{
    /// <summary>Where any of <paramref name="secrets"/> occurs in <paramref name="image"/>; empty when nowhere.</summary>
    public static async Task<List<string>> ScanImageAsync(string image, IReadOnlyList<string> secrets)
    {
        var hits = new List<string>();
        ProcessResult inspect = await ProcessRunner.DockerAsync("image", "inspect", image);
        inspect.ShouldSucceed("docker image inspect");
        hits.AddRange(Find(inspect.Output, secrets).Select(s => "docker image inspect: " + s));
        ProcessResult history = await ProcessRunner.DockerAsync("history", "--no-trunc", image);
        history.ShouldSucceed("docker history");
        hits.AddRange(Find(history.Output, secrets).Select(s => "docker history: " + s));

        string archive = Path.Combine(Path.GetTempPath(), "pycontainer-scan-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            (await ProcessRunner.DockerAsync("image", "save", "-o", archive, image)).ShouldSucceed("docker image save");
            int layerFiles = 0;
            await using FileStream stream = File.OpenRead(archive);
            using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                if (entry.DataStream is null)
                {
                    continue;
                }

                byte[] data = await ReadAllAsync(entry.DataStream);
                if (entry.Name.EndsWith("layer.tar", StringComparison.Ordinal) || entry.Name.StartsWith("blobs/", StringComparison.Ordinal) && IsTar(data))
                {
                    layerFiles += await ScanLayerAsync(entry.Name, data, secrets, hits);
                }
                else
                {
                    hits.AddRange(Find(Encoding.UTF8.GetString(data), secrets).Select(s => $"{entry.Name}: {s}"));
                }
            }

            if (layerFiles == 0)
            {
                throw new Xunit.Sdk.XunitException("No layer file was scanned in " + image + ": the scanner does not understand this archive.");
            }
        }
        finally
        {
            File.Delete(archive);
        }

        return hits;
    }

    /// <summary>Lines of <paramref name="text"/> that hold a secret, with the secret masked.</summary>
    public static IEnumerable<string> Find(string text, IReadOnlyList<string> secrets) =>
        text.Split('\n')
            .Where(line => secrets.Any(s => line.Contains(s, StringComparison.Ordinal)))
            .Select(line => secrets.Aggregate(line, (l, s) => l.Replace(s, "***", StringComparison.Ordinal)).Trim());

    private static async Task<int> ScanLayerAsync(string layerName, byte[] layer, IReadOnlyList<string> secrets, List<string> hits)
    {
        int files = 0;
        using var reader = new TarReader(new MemoryStream(layer));
        while (await reader.GetNextEntryAsync() is { } file)
        {
            files++;
            string content = file.DataStream is null ? "" : Encoding.Latin1.GetString(await ReadAllAsync(file.DataStream));
            foreach (string secret in secrets)
            {
                if (file.Name.Contains(secret, StringComparison.Ordinal) || content.Contains(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(secret)), StringComparison.Ordinal))
                {
                    hits.Add($"{layerName}: /{file.Name.TrimStart('.', '/')}");
                }
            }
        }

        return files;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        byte[] bytes = buffer.ToArray();
        if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            await using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var decompressed = new MemoryStream();
            await gzip.CopyToAsync(decompressed);
            return decompressed.ToArray();
        }

        return bytes;
    }

    /// <summary>A POSIX tar header has "ustar" at offset 257.</summary>
    private static bool IsTar(byte[] data) =>
        data.Length > 262 && Encoding.ASCII.GetString(data, 257, 5) == "ustar";
}
