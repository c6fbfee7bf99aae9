using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Python.Wheels;

namespace PyContainer.Daemonless;

/// <summary>
/// The platform wheels are chosen for: the base image's Python and C library, checked against what the project says
/// (PythonVersion, ContainerBaseImageLibc), so a mismatch is a coded error at build time rather than an
/// ImportError in the running container.
/// </summary>
public static class TargetPlatforms
{
    /// <summary>The oldest glibc manylinux wheels target; assumed when the image does not say its version.</summary>
    public const string OldestManylinuxGlibc = "2.17";

    /// <param name="image">The base image's reference, for messages.</param>
    /// <param name="facts">What its layers hold.</param>
    /// <param name="architecture">The OCI architecture (amd64, arm64).</param>
    /// <param name="plan">The image plan, with the PythonVersion and ContainerBaseImageLibc properties.</param>
    /// <param name="log">Says when the glibc version had to be assumed.</param>
    public static TargetPlatform For(string image, BaseImageFacts facts, string architecture, ImagePlan plan, IBuildLog log)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(log);
        if (plan.PythonVersion is { Length: > 0 } wanted && !SameMinor(wanted, facts.PythonVersion))
        {
            throw Errors.Create(Errors.BaseImageMismatch, image, $"it holds Python {facts.PythonFullVersion} but PythonVersion is {wanted}", "PythonVersion");
        }

        string? libc = facts.Libc;
        if (plan.Libc is { Length: > 0 } said)
        {
            if (libc is not null && !string.Equals(libc, said, StringComparison.OrdinalIgnoreCase))
            {
                // Wheels for the other C library load, then crash on the first missing symbol: refuse before that.
                throw Errors.Create(Errors.BaseImageMismatch, image, $"its C library is {libc} but ContainerBaseImageLibc is {said}", "ContainerBaseImageLibc");
            }

            libc = said.ToLowerInvariant();
        }

        if (libc is null)
        {
            throw Errors.Create(Errors.BaseImageUnusable, image, "its files show neither glibc's loader (ld-linux-*) nor musl's (ld-musl-*): set ContainerBaseImageLibc to glibc or musl");
        }

        string? libcVersion = facts.LibcVersion;
        if (libcVersion is null && libc == "glibc")
        {
            log.Info($"  {image} does not say its glibc version: only wheels for glibc {OldestManylinuxGlibc} (manylinux2014) and older are chosen");
            libcVersion = OldestManylinuxGlibc;
        }

        return new TargetPlatform(facts.PythonVersion, facts.PythonFullVersion, MachineName(architecture), libc == "musl" ? Libc.Musl : Libc.Glibc, libcVersion);
    }

    /// <summary>
    /// The target of one platform of ContainerRuntimeIdentifiers (<paramref name="property"/>): as above for its
    /// architecture, after checking that a linux-musl-* identifier has a musl base and any other a glibc one (PYC3019).
    /// </summary>
    public static TargetPlatform For(string image, BaseImageFacts facts, ContainerPlatform platform, string property, ImagePlan plan, IBuildLog log)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(platform);
        if (facts.Libc is { } libc && platform.Musl != string.Equals(libc, "musl", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.Create(Errors.BaseImageMismatch, image, $"its {platform} image's C library is {libc} but {property} has {platform.RuntimeIdentifier}, which means {(platform.Musl ? "musl" : "glibc")}", property);
        }

        return For(image, facts, platform.Oci.Architecture, plan, log);
    }

    /// <summary>The OCI architecture as Python's platform.machine() says it in wheel tags.</summary>
    public static string MachineName(string architecture) => architecture switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "arm" => "armv7l",
        "386" => "i686",
        _ => architecture,
    };

    private static bool SameMinor(string wanted, string actual) =>
        string.Equals(string.Join('.', wanted.Split('.').Take(2)), actual, StringComparison.Ordinal);
}
