using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PyContainer.Oci;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>A gzip layer blob written for a test, with its digest and the diff_id of its tar.</summary>
public sealed record TestLayer(string Path, Descriptor Descriptor, string DiffId);

/// <summary>Builds the parts of an image the registry client pushes: a layer on disk, a config, a manifest.</summary>
public static class PushedImageParts
{
    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>A layer with the given files (path in the image → content), written to a file in <paramref name="folder"/>.</summary>
    public static TestLayer WriteLayer(string folder, IReadOnlyDictionary<string, byte[]> files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach ((string name, byte[] content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name.TrimStart('/'))
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(content),
                };
                writer.WriteEntry(entry);
            }
        }

        string path = System.IO.Path.Combine(folder, "layer-" + Guid.NewGuid().ToString("N")[..8] + ".tar.gz");
        using (FileStream file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            tar.Position = 0;
            tar.CopyTo(gzip);
        }

        byte[] blob = File.ReadAllBytes(path);
        return new TestLayer(path, new Descriptor(MediaTypes.OciLayerGzip, Sha256(blob), blob.Length), Sha256(tar.ToArray()));
    }

    /// <summary>The base config with the layers' diff_ids added, Cmd replaced and the platform set.</summary>
    public static byte[] Config(byte[] baseConfig, IEnumerable<TestLayer> layers, string[] cmd, string architecture = "amd64", string? variant = null)
    {
        JsonNode config = JsonNode.Parse(baseConfig)!;
        JsonArray diffIds = config["rootfs"]!["diff_ids"]!.AsArray();
        foreach (TestLayer layer in layers)
        {
            diffIds.Add(layer.DiffId);
        }

        config["config"]!["Cmd"] = new JsonArray(cmd.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
        config["config"]!.AsObject().Remove("Entrypoint");
        config["architecture"] = architecture;
        if (variant is not null)
        {
            config["variant"] = variant;
        }

        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    public static byte[] Manifest(Descriptor config, IEnumerable<Descriptor> layers) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciManifest,
        ["config"] = Json(config),
        ["layers"] = new JsonArray(layers.Select(l => (JsonNode)Json(l)).ToArray()),
    }.ToJsonString());

    public static byte[] Index(params (Descriptor Manifest, string Architecture, string? Variant)[] entries) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciIndex,
        ["manifests"] = new JsonArray(entries.Select(e =>
        {
            JsonObject entry = Json(e.Manifest);
            var platform = new JsonObject { ["architecture"] = e.Architecture, ["os"] = "linux" };
            if (e.Variant is not null)
            {
                platform["variant"] = e.Variant;
            }

            entry["platform"] = platform;
            return (JsonNode)entry;
        }).ToArray()),
    }.ToJsonString());

    private static JsonObject Json(Descriptor d) => new()
    {
        ["mediaType"] = MediaTypes.ToOci(d.MediaType),
        ["digest"] = d.Digest,
        ["size"] = d.Size,
    };
}
