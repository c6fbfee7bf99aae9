using System.Text.Json;

namespace PyContainer.Oci;

/// <summary>
/// A list of manifests: a multi-platform index (OCI index, Docker manifest list) or an OCI layout's index.json
/// (manifests named by the annotation <see cref="RefName"/>).
/// </summary>
public sealed class OciIndex(IReadOnlyList<Descriptor> Manifests)
{
    /// <summary>The annotation that names a manifest in an OCI layout's index.json.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    public IReadOnlyList<Descriptor> Manifests { get; } = Manifests ?? throw new ArgumentNullException(nameof(Manifests));

    public string MediaType { get; init; } = MediaTypes.OciIndex;

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Reads an OCI index or a Docker manifest list (PYC3022 for anything else).</summary>
    public static OciIndex Parse(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string what = "index " + Digests.Sha256(content);
        using JsonDocument document = OciJson.Parse(content, what);
        JsonElement root = document.RootElement;
        string? mediaType = OciJson.String(root, "mediaType", what);
        if (mediaType is not null && !MediaTypes.IsIndex(mediaType))
        {
            throw OciJson.Invalid(what, $"its media type '{mediaType}' is not an index's");
        }

        if (!root.TryGetProperty("manifests", out JsonElement manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            throw OciJson.Invalid(what, "it has no manifests array");
        }

        return new OciIndex([.. manifests.EnumerateArray().Select(m => OciJson.ReadDescriptor(m, what))])
        {
            MediaType = mediaType ?? MediaTypes.OciIndex,
            Annotations = OciJson.ReadAnnotations(root, what),
        };
    }

    public byte[] ToJson() => OciJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", 2);
        writer.WriteString("mediaType", MediaType);
        writer.WriteStartArray("manifests");
        foreach (Descriptor manifest in Manifests)
        {
            OciJson.WriteDescriptor(writer, manifest);
        }

        writer.WriteEndArray();
        OciJson.WriteAnnotations(writer, Annotations);
        writer.WriteEndObject();
    });
}
