using PyContainer.Diagnostics;
using PyContainer.Oci;

namespace PyContainer.Model;

/// <summary>
/// One platform an image is built for, named as the .NET SDK names it (a runtime identifier: linux-x64,
/// linux-arm64, linux-musl-x64) and as OCI names it (linux/amd64, linux/arm64/v8).
/// </summary>
/// <param name="RuntimeIdentifier">The runtime identifier as the project gave it (lower case).</param>
/// <param name="Oci">The OCI platform: os, GOARCH architecture and variant.</param>
/// <param name="Musl">Whether the identifier says linux-musl-*: the base image must be a musl (Alpine) one.</param>
public sealed record ContainerPlatform(string RuntimeIdentifier, Platform Oci, bool Musl)
{
    /// <summary>The .NET runtime identifier's architecture and the OCI architecture and variant it maps to.</summary>
    private static readonly Dictionary<string, (string Architecture, string? Variant)> Architectures = new(StringComparer.Ordinal)
    {
        ["x64"] = ("amd64", null),
        ["arm64"] = ("arm64", "v8"),
        ["arm"] = ("arm", "v7"),
        ["x86"] = ("386", null),
        ["s390x"] = ("s390x", null),
        ["ppc64le"] = ("ppc64le", null),
        ["riscv64"] = ("riscv64", null),
        ["loongarch64"] = ("loong64", null),
    };

    /// <summary>"linux/arm64/v8": the form `docker build --platform` and the Engine API take.</summary>
    public override string ToString() => Oci.ToString();

    /// <summary>The platform of a runtime identifier; PYC1056 naming <paramref name="property"/> when it is not a Linux one we know.</summary>
    public static ContainerPlatform Parse(string runtimeIdentifier, string property)
    {
        ArgumentNullException.ThrowIfNull(runtimeIdentifier);
        string rid = runtimeIdentifier.Trim().ToLowerInvariant();
        bool musl = rid.StartsWith("linux-musl-", StringComparison.Ordinal);
        string? architecture = musl ? rid["linux-musl-".Length..] : rid.StartsWith("linux-", StringComparison.Ordinal) ? rid["linux-".Length..] : null;
        if (architecture is null || !Architectures.TryGetValue(architecture, out (string Architecture, string? Variant) oci))
        {
            throw Errors.Create(Errors.InvalidRuntimeIdentifier, property, runtimeIdentifier, string.Join(", ", Architectures.Keys.Select(a => "linux-" + a)));
        }

        return new ContainerPlatform(rid, new Platform(oci.Architecture, "linux") { Variant = oci.Variant }, musl);
    }

    /// <summary>
    /// The platforms of ContainerRuntimeIdentifiers (several, ';'-separated) or else ContainerRuntimeIdentifier (one);
    /// empty when neither is set, which builds for the builder's own platform. Duplicates are dropped, order kept.
    /// </summary>
    public static IReadOnlyList<ContainerPlatform> ParseAll(string? runtimeIdentifiers, string? runtimeIdentifier)
    {
        (string? value, string property) = !string.IsNullOrWhiteSpace(runtimeIdentifiers)
            ? (runtimeIdentifiers, "ContainerRuntimeIdentifiers")
            : (runtimeIdentifier, "ContainerRuntimeIdentifier");
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var platforms = new List<ContainerPlatform>();
        foreach (string rid in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ContainerPlatform platform = Parse(rid, property);
            if (!platforms.Any(p => p.Oci == platform.Oci && p.Musl == platform.Musl))
            {
                platforms.Add(platform);
            }
        }

        return platforms;
    }
}
