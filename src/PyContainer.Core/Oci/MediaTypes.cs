namespace PyContainer.Oci;

/// <summary>The media types of OCI images and of their Docker v2 schema 2 forerunners.</summary>
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

    /// <summary>The OCI equivalent of a Docker media type; any other type comes back unchanged.</summary>
    public static string ToOci(string mediaType) => mediaType switch
    {
        DockerManifest => OciManifest,
        DockerManifestList => OciIndex,
        DockerConfig => OciConfig,
        DockerLayerGzip => OciLayerGzip,
        _ => mediaType,
    };

    /// <summary>True for a single-image manifest (OCI or Docker), not an index.</summary>
    public static bool IsManifest(string mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>True for a multi-platform index (OCI index or Docker manifest list).</summary>
    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;
}
