using System.Text.Json;
using System.Text.Json.Serialization;

namespace PyContainer.Sbom;

/// <summary>A Python package the daemonless assembler installed from a wheel, and the wheel's sha256 (hex).</summary>
public sealed record ImagePackage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("sha256")] string? Sha256);

/// <summary>
/// The sidecar of a daemonless image: <c>ContainerIntermediateDirectory/image-packages/HEX.json</c> (HEX the manifest
/// digest's), a JSON array of {"name", "version", "sha256"}, one per wheel installed, which the image's METADATA files
/// cannot say. The assembler writes it; the inventory reads it for the SBOM's checksums.
/// </summary>
public static class ImagePackages
{
    /// <summary>The sidecar of the manifest <paramref name="manifestDigest"/> under <paramref name="intermediateDirectory"/>.</summary>
    public static string PathFor(string intermediateDirectory, string manifestDigest)
    {
        ArgumentNullException.ThrowIfNull(manifestDigest);
        return Path.Combine(intermediateDirectory, "image-packages", Oci.Digests.Hex(manifestDigest) + ".json");
    }

    public static void Write(string path, IEnumerable<ImagePackage> packages)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(packages.OrderBy(p => p.Name, StringComparer.Ordinal).ToList()));
    }

    /// <summary>The packages the file lists, or null when it is missing or unreadable.</summary>
    public static IReadOnlyList<ImagePackage>? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<List<ImagePackage>>(File.ReadAllBytes(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The wheel hashes by <see cref="InventoryScanner.WheelKey"/>.</summary>
    public static IReadOnlyDictionary<string, string> Hashes(IEnumerable<ImagePackage> packages) =>
        packages.Where(p => p.Sha256 is not null)
            .GroupBy(p => InventoryScanner.WheelKey(p.Name, p.Version), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Sha256!, StringComparer.Ordinal);
}
