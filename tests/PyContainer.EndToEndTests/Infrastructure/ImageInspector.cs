using System.Formats.Tar;
using System.Text.Json;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>One layer of a saved image: its position and every path it adds (whiteouts included).</summary>
public sealed record ImageLayer(int Index, IReadOnlyList<string> Paths, long Size);

/// <summary>
/// Looks inside an image as the engine stores it (`docker save`), layer by layer, rather than trusting the
/// Dockerfile: what a layer holds is what every pull of the image downloads.
/// </summary>
public sealed class ImageInspector
{
    private ImageInspector(IReadOnlyList<ImageLayer> layers, JsonElement config, IReadOnlyList<string> history)
    {
        Layers = layers;
        Config = config;
        History = history;
    }

    public IReadOnlyList<ImageLayer> Layers { get; }

    public JsonElement Config { get; }

    /// <summary>The created_by line of every history entry, empty layers included.</summary>
    public IReadOnlyList<string> History { get; }

    public static async Task<ImageInspector> LoadAsync(string image)
    {
        string archive = Path.Combine(Path.GetTempPath(), "pycontainer-save-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            (await ProcessRunner.DockerAsync("image", "save", "-o", archive, image)).ShouldSucceed("docker image save " + image);
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var layerPaths = new Dictionary<string, (List<string> Paths, long Size)>(StringComparer.Ordinal);
            await using (FileStream stream = File.OpenRead(archive))
            {
                using var reader = new TarReader(stream);
                while (await reader.GetNextEntryAsync() is { } entry)
                {
                    if (entry.DataStream is null)
                    {
                        continue;
                    }

                    if (entry.Name.EndsWith("layer.tar", StringComparison.Ordinal) || entry.Name.StartsWith("blobs/", StringComparison.Ordinal))
                    {
                        long size = entry.Length;
                        layerPaths[entry.Name] = (await ListAsync(entry.DataStream), size);
                    }
                    else
                    {
                        using var buffer = new MemoryStream();
                        await entry.DataStream.CopyToAsync(buffer);
                        files[entry.Name] = buffer.ToArray();
                    }
                }
            }

            using JsonDocument manifest = JsonDocument.Parse(files["manifest.json"]);
            JsonElement first = manifest.RootElement[0];
            string configName = first.GetProperty("Config").GetString()!;
            byte[] configBytes = files.TryGetValue(configName, out byte[]? c) ? c : throw new InvalidOperationException("No config " + configName);
            var layers = first.GetProperty("Layers").EnumerateArray()
                .Select((layer, index) => (layer.GetString()!, index))
                .Select(l => new ImageLayer(l.index, layerPaths[l.Item1].Paths, layerPaths[l.Item1].Size))
                .ToList();
            JsonElement config = JsonDocument.Parse(configBytes).RootElement.Clone();
            var history = config.TryGetProperty("history", out JsonElement h)
                ? h.EnumerateArray().Select(e => e.TryGetProperty("created_by", out JsonElement by) ? by.GetString() ?? "" : "").ToList()
                : [];
            return new ImageInspector(layers, config, history);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>The number of layers of <paramref name="image"/> (its RootFS), from the engine.</summary>
    public static async Task<int> LayerCountAsync(string image)
    {
        ProcessResult result = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{len .RootFS.Layers}}", image);
        result.ShouldSucceed("docker image inspect " + image);
        return int.Parse(result.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> ListAsync(Stream layer)
    {
        var paths = new List<string>();
        using var reader = new TarReader(layer, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false) is { } entry)
        {
            // Only a leading "./" goes: trimming every '.' would also eat the dot of a root-level whiteout (.wh.name).
            string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            paths.Add("/" + name.TrimStart('/'));
        }

        return paths;
    }
}
