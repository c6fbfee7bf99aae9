using PyContainer.Oci;

namespace PyContainer.Sbom;

/// <summary>
/// Where an image's SBOMs are written: <c>ContainerIntermediateDirectory/sbom/REPOSITORY.OS-ARCH[-VARIANT].spdx.json</c>
/// (the repository's '/' as '-'), one per platform; the name says the platform, which is how a push finds the
/// manifest each one belongs to.
/// </summary>
public static class SbomFiles
{
    private const string Extension = ".spdx.json";

    public static string Directory(string intermediateDirectory) => Path.Combine(intermediateDirectory, "sbom");

    public static string PathFor(string intermediateDirectory, string repository, Platform platform)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(platform);
        string suffix = platform.Variant is null ? $"{platform.Os}-{platform.Architecture}" : $"{platform.Os}-{platform.Architecture}-{platform.Variant}";
        return Path.Combine(Directory(intermediateDirectory), $"{repository.Replace('/', '-')}.{suffix}{Extension}");
    }

    /// <summary>The platform a file <see cref="PathFor"/> named is for, or null for another file name.</summary>
    public static Platform? PlatformOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path);
        if (!name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }

        name = name[..^Extension.Length];
        string[] parts = name[(name.LastIndexOf('.') + 1)..].Split('-');
        return parts.Length is 2 or 3 ? new Platform(parts[1], parts[0]) { Variant = parts.Length == 3 ? parts[2] : null } : null;
    }
}
