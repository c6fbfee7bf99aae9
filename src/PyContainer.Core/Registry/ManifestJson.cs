using System.Text.Json;
using PyContainer.Oci;

namespace PyContainer.Registry;

/// <summary>What a manifest's own JSON says its media type is, for registries that send a generic Content-Type.</summary>
internal static class ManifestJson
{
    public static string? MediaTypeOf(byte[] content)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(content);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("mediaType", out JsonElement type) && type.ValueKind == JsonValueKind.String)
            {
                return type.GetString();
            }

            // The OCI spec lets mediaType be absent: the shape tells an index from a manifest.
            return root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex
                : root.TryGetProperty("config", out _) && root.TryGetProperty("layers", out _) ? MediaTypes.OciManifest
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
