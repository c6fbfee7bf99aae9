using System.Text.Json;

namespace PyContainer.Oci;

/// <summary>
/// An image manifest: the config and the layers, bottom first. Reads OCI and Docker v2 schema 2 manifests (their
/// JSON is the same but for media types); writes compact, deterministic JSON.
/// </summary>
public sealed class OciManifest(Descriptor Config, IReadOnlyList<Descriptor> Layers)
{
    public Descriptor Config { get; } = Config ?? throw new ArgumentNullException(nameof(Config));

    public IReadOnlyList<Descriptor> Layers { get; } = Layers ?? throw new ArgumentNullException(nameof(Layers));

    /// <summary><see cref="MediaTypes.OciManifest"/> unless read from a Docker manifest.</summary>
    public string MediaType { get; init; } = MediaTypes.OciManifest;

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>
    /// Reads an OCI or Docker v2 schema 2 manifest; anything else (an index, schema 1, broken JSON, a descriptor
    /// without digest or size) is PYC3022.
    /// </summary>
    public static OciManifest Parse(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string what = "manifest " + Digests.Sha256(content);
        using JsonDocument document = OciJson.Parse(content, what);
        JsonElement root = document.RootElement;
        string? mediaType = OciJson.String(root, "mediaType", what);
        if (!root.TryGetProperty("schemaVersion", out JsonElement version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int schema) || schema != 2)
        {
            throw OciJson.Invalid(what, "its schemaVersion is not 2 (Docker schema 1 manifests are not supported; push the image again with a current docker)");
        }

        if (MediaTypes.IsIndex(mediaType) || (mediaType is null && root.TryGetProperty("manifests", out _)))
        {
            throw OciJson.Invalid(what, "it is an index of platform manifests, not an image manifest");
        }

        if (mediaType is not null && !MediaTypes.IsManifest(mediaType))
        {
            throw OciJson.Invalid(what, $"its media type '{mediaType}' is not an image manifest's");
        }

        if (!root.TryGetProperty("config", out JsonElement config))
        {
            throw OciJson.Invalid(what, "it has no config");
        }

        if (!root.TryGetProperty("layers", out JsonElement layers) || layers.ValueKind != JsonValueKind.Array)
        {
            throw OciJson.Invalid(what, "it has no layers array");
        }

        return new OciManifest(OciJson.ReadDescriptor(config, what), [.. layers.EnumerateArray().Select(l => OciJson.ReadDescriptor(l, what))])
        {
            // An OCI manifest may leave out its media type (image-spec 1.0); the Docker one always names it.
            MediaType = mediaType ?? MediaTypes.OciManifest,
            Annotations = OciJson.ReadAnnotations(root, what),
        };
    }

    /// <summary>Compact JSON: schemaVersion, mediaType, config, layers, annotations (sorted).</summary>
    public byte[] ToJson() => OciJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", 2);
        writer.WriteString("mediaType", MediaType);
        writer.WritePropertyName("config");
        OciJson.WriteDescriptor(writer, Config);
        writer.WriteStartArray("layers");
        foreach (Descriptor layer in Layers)
        {
            OciJson.WriteDescriptor(writer, layer);
        }

        writer.WriteEndArray();
        OciJson.WriteAnnotations(writer, Annotations);
        writer.WriteEndObject();
    });
}
