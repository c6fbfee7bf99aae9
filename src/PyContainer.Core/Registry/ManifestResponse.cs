using PyContainer.Oci;

namespace PyContainer.Registry;

/// <summary>A manifest or index as the registry sent it: its media type, its digest (sha256 of the bytes) and the bytes.</summary>
public sealed record ManifestResponse(string MediaType, string Digest, byte[] Content)
{
    /// <summary>True for a multi-platform index (OCI index or Docker manifest list).</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);
}
