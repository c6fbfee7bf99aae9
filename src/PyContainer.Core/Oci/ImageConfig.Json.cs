using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PyContainer.Oci;

public sealed partial class ImageConfig
{
    /// <summary>
    /// Compact JSON: created, architecture, os, variant, config, rootfs, history. The config keeps the base's key
    /// order; ExposedPorts, Volumes and Labels are written sorted (Go maps, as docker writes them); nulls are left out.
    /// </summary>
    public byte[] ToJson() => OciJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("created", _created);
        writer.WriteString("architecture", Architecture);
        writer.WriteString("os", Os);
        if (OsVersion is not null)
        {
            writer.WriteString("os.version", OsVersion);
        }

        if (OsFeatures is not null)
        {
            writer.WritePropertyName("os.features");
            OsFeatures.WriteTo(writer);
        }

        if (Variant is not null)
        {
            writer.WriteString("variant", Variant);
        }

        writer.WriteStartObject("config");
        foreach ((string key, JsonNode? value) in _config)
        {
            if (value is null)
            {
                continue;
            }

            writer.WritePropertyName(key);
            if (SortedMaps.Contains(key) && value is JsonObject map)
            {
                writer.WriteStartObject();
                foreach ((string name, JsonNode? item) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    if (item is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        item.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.WriteStartObject("rootfs");
        writer.WriteString("type", "layers");
        writer.WriteStartArray("diff_ids");
        _diffIds.ForEach(writer.WriteStringValue);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("history");
        _history.ForEach(h => h.WriteTo(writer));
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>Go's RFC 3339 with nanoseconds, as docker writes times: UTC, "Z", fraction without trailing zeros.</summary>
    internal static string FormatTime(DateTimeOffset time)
    {
        DateTime utc = time.UtcDateTime;
        string fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    private IReadOnlyList<string>? Strings(string key) =>
        _config[key] is JsonArray array ? [.. array.Select(e => (string?)e ?? "")] : null;

    private JsonObject Map(string key)
    {
        if (_config[key] is not JsonObject map)
        {
            map = [];
            _config[key] = map;
        }

        return map;
    }

    private static JsonArray StringArray(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v ?? throw new ArgumentException("A command or test cannot hold null.")))];

    private static void AddDuration(JsonObject check, string name, TimeSpan? duration)
    {
        // Docker's nanoseconds; zero means "the default" and is left out, as docker leaves it out.
        if (duration is { } value && value > TimeSpan.Zero)
        {
            check[name] = value.Ticks * 100;
        }
    }

    private static string? Text(JsonObject root, string name, string what) => root[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? text) => text,
        _ => throw OciJson.Invalid(what, $"'{name}' is not a string"),
    };
}
