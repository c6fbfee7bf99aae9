using System.Text.Encodings.Web;
using System.Text.Json;
using PyContainer.Diagnostics;

namespace PyContainer.Oci;

/// <summary>
/// Reading and writing the JSON of manifests, indexes and descriptors: compact, fields in the image spec's order,
/// annotations sorted, so the same object always gives the same bytes (and the same digest).
/// </summary>
internal static class OciJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        // Plain UTF-8 for non-ASCII text; only what JSON itself needs is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    public static void WriteDescriptor(Utf8JsonWriter writer, Descriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest);
        writer.WriteNumber("size", descriptor.Size);
        if (descriptor.ArtifactType is not null)
        {
            writer.WriteString("artifactType", descriptor.ArtifactType);
        }

        if (descriptor.Platform is { } platform)
        {
            writer.WriteStartObject("platform");
            writer.WriteString("architecture", platform.Architecture);
            writer.WriteString("os", platform.Os);
            if (platform.OsVersion is not null)
            {
                writer.WriteString("os.version", platform.OsVersion);
            }

            if (platform.Variant is not null)
            {
                writer.WriteString("variant", platform.Variant);
            }

            writer.WriteEndObject();
        }

        WriteAnnotations(writer, descriptor.Annotations);
        writer.WriteEndObject();
    }

    public static void WriteAnnotations(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("annotations");
        foreach ((string key, string value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Parses <paramref name="content"/> as a JSON object, or PYC3022 naming <paramref name="what"/>.</summary>
    public static JsonDocument Parse(byte[] content, string what)
    {
        try
        {
            JsonDocument document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Invalid(what, "it is not a JSON object");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw Errors.Create(Errors.OciContentInvalid, e, what, "it is not valid JSON (" + e.Message + ")");
        }
    }

    public static Descriptor ReadDescriptor(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(what, "a descriptor is not a JSON object");
        }

        string mediaType = String(element, "mediaType", what) ?? throw Invalid(what, "a descriptor has no mediaType");
        string digest = String(element, "digest", what) ?? throw Invalid(what, "a descriptor has no digest");
        if (!Digests.IsSha256(digest))
        {
            throw Invalid(what, $"the digest '{digest}' is not sha256: followed by 64 lowercase hex digits");
        }

        if (!element.TryGetProperty("size", out JsonElement sizeElement) || !sizeElement.TryGetInt64(out long size) || size < 0)
        {
            throw Invalid(what, $"the descriptor of {digest} has no valid size");
        }

        Platform? platform = null;
        if (element.TryGetProperty("platform", out JsonElement p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform(String(p, "architecture", what) ?? "", String(p, "os", what) ?? "")
            {
                Variant = String(p, "variant", what),
                OsVersion = String(p, "os.version", what),
            };
        }

        return new Descriptor(mediaType, digest, size) { Platform = platform, Annotations = ReadAnnotations(element, what), ArtifactType = String(element, "artifactType", what) };
    }

    public static IReadOnlyDictionary<string, string>? ReadAnnotations(JsonElement element, string what)
    {
        if (!element.TryGetProperty("annotations", out JsonElement annotations) || annotations.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (annotations.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(what, "annotations is not a JSON object");
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty annotation in annotations.EnumerateObject())
        {
            result[annotation.Name] = annotation.Value.ValueKind == JsonValueKind.String
                ? annotation.Value.GetString()!
                : throw Invalid(what, $"the annotation '{annotation.Name}' is not a string");
        }

        return result;
    }

    public static string? String(JsonElement element, string name, string what) =>
        !element.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Invalid(what, $"'{name}' is not a string");

    public static PyContainerException Invalid(string what, string reason) => Errors.Create(Errors.OciContentInvalid, what, reason);
}
