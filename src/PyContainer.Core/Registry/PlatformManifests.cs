using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.Oci;

namespace PyContainer.Registry;

/// <summary>
/// Picks the manifest for one platform out of an OCI index or a Docker manifest list, matching as containerd's
/// platform matcher does: os and architecture (Go names; "x86_64" and "aarch64" are read as amd64 and arm64), and
/// the variant, where arm64 without one means v8. Attestation entries (unknown/unknown) are never chosen.
/// </summary>
public static class PlatformManifests
{
    private const string AttestationAnnotation = "vnd.docker.reference.type";

    /// <summary>
    /// The descriptor of <paramref name="index"/>'s manifest for the platform; a single-image manifest is returned
    /// as it is (its config says its platform). PYC4007 lists the index's platforms when none matches.
    /// </summary>
    /// <param name="image">The image the index belongs to, for the error message.</param>
    public static Descriptor Select(ManifestResponse index, string os, string architecture, string? variant, string? image = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentException.ThrowIfNullOrEmpty(os);
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        if (!index.IsIndex)
        {
            return new Descriptor(index.MediaType, index.Digest, index.Content.LongLength);
        }

        var wanted = Normalize(new Platform(architecture, os) { Variant = string.IsNullOrEmpty(variant) ? null : variant });
        IReadOnlyList<Descriptor> entries = Entries(index, image);
        Descriptor? exact = null;
        Descriptor? loose = null;
        foreach (Descriptor entry in entries)
        {
            if (entry.Platform is not { } platform || IsAttestation(entry))
            {
                continue;
            }

            Platform offered = Normalize(platform);
            if (!string.Equals(offered.Os, wanted.Os, StringComparison.Ordinal) || !string.Equals(offered.Architecture, wanted.Architecture, StringComparison.Ordinal))
            {
                continue;
            }

            if (string.Equals(offered.Variant, wanted.Variant, StringComparison.Ordinal))
            {
                exact ??= entry;
            }
            else if (wanted.Variant is null)
            {
                // No variant asked for: any variant of the architecture will do, the first one listed wins.
                loose ??= entry;
            }
        }

        return exact ?? loose ?? throw Errors.Create(
            Errors.PlatformNotInIndex,
            image ?? index.Digest,
            Format(wanted),
            Available(entries));
    }

    /// <summary>The platforms an index offers, as "os/arch[/variant]", attestations left out.</summary>
    internal static string Available(IReadOnlyList<Descriptor> entries)
    {
        var names = entries.Where(e => e.Platform is not null && !IsAttestation(e)).Select(e => Format(e.Platform!)).Distinct(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "no platform at all" : string.Join(", ", names);
    }

    internal static IReadOnlyList<Descriptor> Entries(ManifestResponse index, string? image)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(index.Content);
            if (!document.RootElement.TryGetProperty("manifests", out JsonElement manifests) || manifests.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("it has no 'manifests' array");
            }

            return manifests.EnumerateArray().Select(m => m.Deserialize<Descriptor>()
                ?? throw new JsonException("a 'manifests' entry is null")).ToList();
        }
        catch (JsonException e)
        {
            RemoteImage? parsed = TryParse(image);
            throw Errors.Create(
                Errors.RegistryRequestFailed,
                e,
                parsed?.Registry ?? "(unknown)",
                parsed?.Repository ?? image ?? "(unknown)",
                $"the index {index.Digest}",
                "the index is not valid: " + e.Message);
        }
    }

    private static RemoteImage? TryParse(string? image)
    {
        try
        {
            return image is null ? null : RemoteImage.Parse(image);
        }
        catch (PyContainerException)
        {
            return null;
        }
    }

    private static bool IsAttestation(Descriptor entry) =>
        (entry.Annotations?.ContainsKey(AttestationAnnotation) ?? false)
        || entry.Platform is { Os: "unknown", Architecture: "unknown" };

    /// <summary>Go's names, as image indexes use them; arm64's default variant is v8, arm's v7.</summary>
    internal static Platform Normalize(Platform platform)
    {
        string os = platform.Os.ToLowerInvariant();
        string? variant = platform.Variant?.ToLowerInvariant();
        (string architecture, variant) = platform.Architecture.ToLowerInvariant() switch
        {
            "x86_64" or "x86-64" or "amd64" => ("amd64", variant),
            "aarch64" or "arm64" => ("arm64", variant is null or "8" or "v8" ? null : variant),
            "armhf" => ("arm", "v7"),
            "armel" => ("arm", "v6"),
            "arm" or "armv7l" or "armv7" => ("arm", variant is null or "7" ? "v7" : variant),
            "armv6l" => ("arm", "v6"),
            "i386" or "i686" or "386" => ("386", variant),
            var other => (other, variant),
        };
        return new Platform(architecture, os) { Variant = variant };
    }

    private static string Format(Platform platform) =>
        $"{platform.Os}/{platform.Architecture}" + (platform.Variant is null ? "" : "/" + platform.Variant);
}
