using System.Formats.Tar;
using System.Text.Json;
using PyContainer.Daemonless;
using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Docker;

/// <summary>The base image an engine build started from, as its registry serves it for one platform.</summary>
/// <param name="Reference">The FROM image (the base.name annotation; <see cref="ImagePusher"/> mounts or copies its layers from there).</param>
/// <param name="ManifestDigest">The platform's manifest digest (the base.digest annotation).</param>
/// <param name="Layers">The registry's layer descriptors, bottom first.</param>
/// <param name="DiffIds">The base config's rootfs.diff_ids, bottom first.</param>
public sealed record EngineBaseImage(RemoteImage Reference, string ManifestDigest, IReadOnlyList<Descriptor> Layers, IReadOnlyList<string> DiffIds)
{
    /// <summary>Reads the platform's manifest and config of <paramref name="reference"/> (PYC4007 when the index lacks the platform).</summary>
    public static async Task<EngineBaseImage> ResolveAsync(RemoteImage reference, ContainerPlatform platform, RegistryClient registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(registry);
        ManifestResponse manifest = await registry.GetManifestAsync(reference.Repository, reference.Reference, cancellationToken);
        if (manifest.IsIndex)
        {
            Descriptor chosen = PlatformManifests.Select(manifest, platform.Oci.Os, platform.Oci.Architecture, platform.Oci.Variant, reference.ToString());
            manifest = await registry.GetManifestAsync(reference.Repository, chosen.Digest, cancellationToken);
        }

        OciManifest parsed = OciManifest.Parse(manifest.Content);
        await using Stream config = await registry.GetBlobAsync(reference.Repository, parsed.Config.Digest, cancellationToken);
        using JsonDocument document = await JsonDocument.ParseAsync(config, cancellationToken: cancellationToken);
        return new EngineBaseImage(reference, manifest.Digest, parsed.Layers, DiffIdsOf(document.RootElement));
    }

    /// <summary>How many of <paramref name="imageDiffIds"/>' first layers are this base's: all of the base's, or none.</summary>
    public int SharedLayerCount(IReadOnlyList<string> imageDiffIds) => SharedLayerCount(DiffIds, imageDiffIds);

    /// <summary>How many of <paramref name="imageDiffIds"/>' first layers are <paramref name="baseDiffIds"/>: all of them, or none.</summary>
    internal static int SharedLayerCount(IReadOnlyList<string> baseDiffIds, IReadOnlyList<string> imageDiffIds)
    {
        ArgumentNullException.ThrowIfNull(baseDiffIds);
        ArgumentNullException.ThrowIfNull(imageDiffIds);
        return baseDiffIds.Count <= imageDiffIds.Count && baseDiffIds.SequenceEqual(imageDiffIds.Take(baseDiffIds.Count), StringComparer.Ordinal) ? baseDiffIds.Count : 0;
    }

    internal static List<string> DiffIdsOf(JsonElement config) =>
        config.TryGetProperty("rootfs", out JsonElement rootfs) && rootfs.TryGetProperty("diff_ids", out JsonElement ids) && ids.ValueKind == JsonValueKind.Array
            ? [.. ids.EnumerateArray().Select(i => i.GetString() ?? "")]
            : [];
}

/// <summary>
/// Moves one image an engine built into the <see cref="ImageStore"/> as an OCI image manifest, reading the engine's
/// `docker save` tar (manifest.json, &lt;config&gt;.json, &lt;layer&gt;/layer.tar) as a stream: the config as the
/// engine has it (its digest is the image id), the base image's layers by the registry's descriptors (never stored
/// again), every other layer gzip-compressed deterministically into the store. Each layer.tar passes through a
/// temporary file once (hashed on the way: its sha256 is its diff_id), so no layer is ever held in memory.
/// </summary>
public static class EngineImageExport
{
    /// <param name="save">The engine's GET /images/{id}/get for the image.</param>
    /// <param name="imageId">The image id (its config's digest).</param>
    /// <param name="platform">Set on the returned descriptor, for the index.</param>
    /// <param name="baseImage">The runner's base image for this platform; null stores every layer and names no base.</param>
    /// <param name="store">Where the blobs and the manifest go.</param>
    /// <param name="cancellationToken">Ends the export.</param>
    public static async Task<Descriptor> ExportAsync(Func<CancellationToken, Task<Stream>> save, string imageId, ContainerPlatform platform, EngineBaseImage? baseImage, ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(save);
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(store);
        var baseDiffIds = new HashSet<string>(baseImage?.DiffIds ?? [], StringComparer.Ordinal);
        var layers = new Dictionary<string, LayerBlob>(StringComparer.Ordinal);
        byte[]? config = null;
        byte[]? saveManifest = null;
        string configFile = Digests.Hex(imageId) + ".json";
        await using (Stream tar = await save(cancellationToken))
        using (var reader = new TarReader(tar))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.DataStream is not { } data)
                {
                    continue;
                }

                if (entry.Name == "manifest.json" || entry.Name == configFile)
                {
                    using var buffer = new MemoryStream();
                    await data.CopyToAsync(buffer, cancellationToken);
                    (entry.Name == configFile ? ref config : ref saveManifest) = buffer.ToArray();
                }
                else if (entry.Name.EndsWith("/layer.tar", StringComparison.Ordinal))
                {
                    if (await StoreLayerAsync(data, baseDiffIds, store, cancellationToken) is { } stored)
                    {
                        layers[stored.DiffId] = stored;
                    }
                }
            }
        }

        if (config is null || Digests.Sha256(config) != imageId)
        {
            throw new InvalidDataException($"the saved image has no config {configFile} with the image id's digest");
        }

        List<string> imageDiffIds = EngineBaseImage.DiffIdsOf(JsonDocument.Parse(config).RootElement);
        int shared = baseImage?.SharedLayerCount(imageDiffIds) ?? 0;
        var descriptors = new List<Descriptor>();
        for (int i = 0; i < imageDiffIds.Count; i++)
        {
            descriptors.Add(i < shared
                ? BaseLayer(baseImage!.Layers[i])
                : (layers.GetValueOrDefault(imageDiffIds[i]) ?? throw new InvalidDataException($"the layer {imageDiffIds[i]} is a base layer, or missing from the saved image ({LayerCount(saveManifest)} layers)")).Descriptor);
        }

        Descriptor configDescriptor = await store.PutBlobAsync(MediaTypes.OciConfig, config, cancellationToken);
        var manifest = new OciManifest(configDescriptor, descriptors)
        {
            Annotations = shared == 0 ? null : new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ImagePusher.BaseNameAnnotation] = baseImage!.Reference.ToString(),
                ["org.opencontainers.image.base.digest"] = baseImage.ManifestDigest,
            },
        };
        return await store.PutManifestAsync(manifest, cancellationToken) with { Platform = platform.Oci };
    }

    /// <summary>A Docker gzip layer is an OCI gzip layer by another name; its bytes (and digest) stay the registry's.</summary>
    private static Descriptor BaseLayer(Descriptor layer) =>
        new(layer.MediaType == MediaTypes.DockerLayerGzip ? MediaTypes.OciLayerGzip : layer.MediaType, layer.Digest, layer.Size);

    /// <summary>The layer's stored blob, or null when the base image has it (its diff_id is one of the base's).</summary>
    private static async Task<LayerBlob?> StoreLayerAsync(Stream layer, HashSet<string> baseDiffIds, ImageStore store, CancellationToken cancellationToken)
    {
        await using var aside = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        string diffId;
        using (var hashing = new HashingStream(aside, leaveOpen: true))
        {
            await layer.CopyToAsync(hashing, cancellationToken);
            diffId = hashing.Digest();
        }

        if (baseDiffIds.Contains(diffId))
        {
            return null;
        }

        aside.Position = 0;
        return await LayerBuilder.WriteGzipAsync(store, (output, token) => aside.CopyToAsync(output, token), cancellationToken);
    }

    private static int LayerCount(byte[]? saveManifest) =>
        saveManifest is null ? 0 : JsonDocument.Parse(saveManifest).RootElement.EnumerateArray().Sum(i => i.GetProperty("Layers").GetArrayLength());
}
