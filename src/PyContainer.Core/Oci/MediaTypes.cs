namespace PyContainer.Oci;

/// <summary>
/// The media types of image manifests, indexes, configs and layers, OCI and Docker's (registries serve both;
/// what this code writes is OCI).
/// </summary>
public static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>Docker's uncompressed layer type (rare, but a valid Docker v2 manifest may hold it).</summary>
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";

    /// <summary>Docker's schema 1 manifests, which this code does not read (registries convert them on request).</summary>
    public const string DockerManifestSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerManifestSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>
    /// The OCI media type for a Docker one (a base image's Docker layers go into an OCI manifest unchanged in bytes);
    /// an OCI type or an unknown one comes back as it is.
    /// </summary>
    public static string ToOci(string mediaType)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        return mediaType switch
        {
            DockerManifest => OciManifest,
            DockerManifestList => OciIndex,
            DockerConfig => OciConfig,
            DockerLayerGzip => OciLayerGzip,
            DockerLayer => OciLayer,
            _ => mediaType,
        };
    }

    /// <summary>Whether <paramref name="mediaType"/> is an image manifest (OCI or Docker v2 schema 2).</summary>
    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>Whether <paramref name="mediaType"/> is a multi-platform index (OCI index or Docker manifest list).</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>Whether <paramref name="mediaType"/> is a gzip-compressed layer.</summary>
    internal static bool IsGzipLayer(string? mediaType) => mediaType is OciLayerGzip or DockerLayerGzip;
}
