using PyContainer.Oci;

namespace PyContainer.Sbom;

/// <summary>
/// What one platform's image holds beyond its base image: the Python distributions and OS packages its own layers
/// installed, and the base it was built on. The input of an SBOM (<see cref="SpdxDocument"/>).
/// </summary>
/// <param name="Platform">The image's platform.</param>
/// <param name="BaseImage">The base image's name (the runner stage's FROM), or null when unknown.</param>
/// <param name="BaseDigest">The base image's manifest digest, or null when unknown (a local-only base).</param>
/// <param name="Python">The installed Python distributions, sorted by name.</param>
/// <param name="OsPackages">The OS packages the image's own layers installed, sorted by name.</param>
public sealed record ImageInventory(Platform Platform, string? BaseImage, string? BaseDigest, IReadOnlyList<PythonDistribution> Python, IReadOnlyList<OsPackage> OsPackages)
{
    /// <summary>The image config's creation time; the SBOM's when SOURCE_DATE_EPOCH is not set.</summary>
    public DateTimeOffset? Created { get; init; }
}

/// <summary>An installed Python distribution, from its <c>*.dist-info/METADATA</c>.</summary>
/// <param name="Name">The distribution's name as its metadata spells it.</param>
/// <param name="Version">Its version.</param>
/// <param name="License">An SPDX license expression, or null when the metadata gives none that is one.</param>
/// <param name="Sha256">The sha256 (hex) of the wheel it was installed from, when known.</param>
public sealed record PythonDistribution(string Name, string Version, string? License, string? Sha256)
{
    /// <summary>The metadata's license text when it is not an SPDX expression (for the SBOM's licenseComments).</summary>
    public string? LicenseText { get; init; }
}

/// <summary>An OS package (dpkg) the image's own layers installed.</summary>
public sealed record OsPackage(string Name, string Version, string? Architecture);
