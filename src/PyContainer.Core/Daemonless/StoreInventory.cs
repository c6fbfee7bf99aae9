using System.Text.Json;
using PyContainer.Oci;
using PyContainer.Sbom;

namespace PyContainer.Daemonless;

/// <summary>
/// The <see cref="ImageInventory"/> of an image in the daemonless store: its own layers are the blobs the store has
/// (the base's stay in the registry), its base is in the manifest's annotations, its wheel hashes in the
/// <see cref="ImagePackages"/> sidecar.
/// </summary>
public static class StoreInventory
{
    public const string BaseDigestAnnotation = "org.opencontainers.image.base.digest";

    /// <param name="store">The image store.</param>
    /// <param name="manifest">The image's (one platform's) manifest.</param>
    /// <param name="intermediateDirectory">ContainerIntermediateDirectory, where the sidecar is.</param>
    /// <param name="cancellationToken">Ends the reading.</param>
    public static async Task<ImageInventory> ReadAsync(ImageStore store, Descriptor manifest, string intermediateDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        OciManifest parsed = await store.ReadManifestAsync(manifest, cancellationToken);
        byte[] configJson = await store.ReadBlobAsync(parsed.Config.Digest, cancellationToken);
        ImageConfig config = ImageConfig.FromBase(configJson, DateTimeOffset.UnixEpoch);
        var scanner = new InventoryScanner();
        foreach (Descriptor layer in parsed.Layers.Where(l => store.HasBlob(l.Digest)))
        {
            await using Stream blob = store.OpenBlob(layer.Digest);
            scanner.AddLayer(blob);
        }

        IReadOnlyList<ImagePackage> packages = ImagePackages.Read(ImagePackages.PathFor(intermediateDirectory, manifest.Digest)) ?? [];
        return new ImageInventory(
            manifest.Platform ?? new Platform(config.Architecture, config.Os) { Variant = config.Variant },
            parsed.Annotations?.GetValueOrDefault(ImagePusher.BaseNameAnnotation),
            parsed.Annotations?.GetValueOrDefault(BaseDigestAnnotation),
            scanner.PythonDistributions(ImagePackages.Hashes(packages)),
            scanner.OsPackages())
        {
            Created = Created(configJson),
        };
    }

    /// <summary>The config's own "created" (<see cref="ImageConfig.FromBase"/> replaces it), or null.</summary>
    private static DateTimeOffset? Created(byte[] configJson)
    {
        using var document = JsonDocument.Parse(configJson);
        return document.RootElement.TryGetProperty("created", out JsonElement created) && created.TryGetDateTimeOffset(out DateTimeOffset value) ? value : null;
    }
}
