using System.Text.Json.Serialization;

namespace PyContainer.Oci;

/// <summary>
/// An OCI content descriptor: what a manifest, an index or index.json says about one blob
/// (JSON names as the image spec: mediaType, digest, size, platform, annotations).
/// </summary>
public sealed record Descriptor(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size)
{
    /// <summary>The type of artifact a referrer is (an SBOM's application/spdx+json), in a referrers index; null elsewhere.</summary>
    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    /// <summary>The platform of a manifest listed in an index; null elsewhere.</summary>
    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Platform? Platform { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The annotation <paramref name="name"/>, or null.</summary>
    public string? Annotation(string name) => Annotations is not null && Annotations.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>The platform of an image (GOARCH and GOOS names: "amd64", "linux"; Variant "v8" for arm64).</summary>
public sealed record Platform(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("os")] string Os)
{
    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    /// <summary>Windows images' build number ("os.version"); null for Linux.</summary>
    [JsonPropertyName("os.version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; init; }

    /// <summary>"linux/amd64", "linux/arm64/v8": how docker names a platform.</summary>
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
