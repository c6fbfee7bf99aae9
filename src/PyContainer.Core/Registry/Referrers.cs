using PyContainer.Oci;

namespace PyContainer.Registry;

/// <summary>
/// Artifacts attached to an image in a registry (OCI distribution 1.1 referrers): an OCI image manifest with an
/// artifactType, the empty config, the artifact as its one layer, and a subject naming the image's manifest. A registry
/// with the referrers API indexes it itself; for one without (distribution 2.8), the referrers tag schema is kept:
/// the tag <c>sha256-HEX</c> of the subject holds an index listing its referrers.
/// </summary>
public static class Referrers
{
    /// <summary>The media type of the empty config an artifact manifest has.</summary>
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";

    /// <summary>The annotation an artifact's creation time goes in.</summary>
    public const string CreatedAnnotation = "org.opencontainers.image.created";

    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    /// <summary>
    /// Attaches <paramref name="content"/> to <paramref name="subject"/> unless the same artifact (same bytes, same
    /// annotations: the same manifest digest) is attached already; returns the artifact manifest's digest.
    /// </summary>
    /// <param name="client">A client of the subject's registry, allowed to push to <paramref name="repository"/>.</param>
    /// <param name="repository">The subject's repository.</param>
    /// <param name="subject">The manifest the artifact is about (media type, digest, size).</param>
    /// <param name="artifactType">The artifact's media type, also the manifest's artifactType.</param>
    /// <param name="content">The artifact's bytes.</param>
    /// <param name="annotations">The artifact manifest's annotations (they also go into the referrers tag's index).</param>
    /// <param name="cancellationToken">Ends the requests.</param>
    public static async Task<string> AttachAsync(RegistryClient client, string repository, Descriptor subject, string artifactType, byte[] content, IReadOnlyDictionary<string, string> annotations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(content);
        var layer = new Descriptor(artifactType, RegistryDigest.Sha256(content), content.Length);
        var config = new Descriptor(EmptyMediaType, RegistryDigest.Sha256(EmptyConfig), EmptyConfig.Length);
        byte[] manifest = ArtifactManifest(artifactType, config, layer, subject, annotations);
        var referrer = new Descriptor(MediaTypes.OciManifest, RegistryDigest.Sha256(manifest), manifest.Length) { ArtifactType = artifactType, Annotations = annotations };
        OciIndex? served = await client.GetReferrersAsync(repository, subject.Digest, cancellationToken);
        OciIndex? tagged = served is null ? await TagIndexAsync(client, repository, subject.Digest, cancellationToken) : null;
        if ((served ?? tagged)?.Manifests.Any(m => m.Digest == referrer.Digest) == true)
        {
            return referrer.Digest;
        }

        await PutBlobAsync(client, repository, config, EmptyConfig, cancellationToken);
        await PutBlobAsync(client, repository, layer, content, cancellationToken);
        await client.PutManifestAsync(repository, referrer.Digest, MediaTypes.OciManifest, manifest, cancellationToken);
        if (served is null)
        {
            // Another writer's referrers stay; ours is added after them.
            var index = new OciIndex([.. tagged?.Manifests ?? [], referrer]);
            await client.PutManifestAsync(repository, TagOf(subject.Digest), MediaTypes.OciIndex, index.ToJson(), cancellationToken);
        }

        return referrer.Digest;
    }

    /// <summary>The referrers of <paramref name="subjectDigest"/> (of <paramref name="artifactType"/> when given), from the API or the referrers tag.</summary>
    public static async Task<IReadOnlyList<Descriptor>> ListAsync(RegistryClient client, string repository, string subjectDigest, string? artifactType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        OciIndex? index = await client.GetReferrersAsync(repository, subjectDigest, cancellationToken)
            ?? await TagIndexAsync(client, repository, subjectDigest, cancellationToken);
        return index is null ? [] : [.. index.Manifests.Where(m => artifactType is null || m.ArtifactType == artifactType)];
    }

    /// <summary>The referrers tag of a subject: its digest with ':' as '-' (sha256-HEX).</summary>
    public static string TagOf(string subjectDigest)
    {
        ArgumentNullException.ThrowIfNull(subjectDigest);
        return subjectDigest.Replace(':', '-');
    }

    private static async Task<OciIndex?> TagIndexAsync(RegistryClient client, string repository, string subjectDigest, CancellationToken cancellationToken) =>
        await client.FindManifestAsync(repository, TagOf(subjectDigest), cancellationToken) is { IsIndex: true } found ? OciIndex.Parse(found.Content) : null;

    private static async Task PutBlobAsync(RegistryClient client, string repository, Descriptor blob, byte[] content, CancellationToken cancellationToken)
    {
        if (!await client.BlobExistsAsync(repository, blob.Digest, cancellationToken))
        {
            await client.UploadBlobAsync(repository, blob, () => new MemoryStream(content, writable: false), cancellationToken);
        }
    }

    private static byte[] ArtifactManifest(string artifactType, Descriptor config, Descriptor layer, Descriptor subject, IReadOnlyDictionary<string, string> annotations) => OciJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", 2);
        writer.WriteString("mediaType", MediaTypes.OciManifest);
        writer.WriteString("artifactType", artifactType);
        writer.WritePropertyName("config");
        OciJson.WriteDescriptor(writer, config);
        writer.WriteStartArray("layers");
        OciJson.WriteDescriptor(writer, layer);
        writer.WriteEndArray();
        writer.WritePropertyName("subject");
        OciJson.WriteDescriptor(writer, new Descriptor(subject.MediaType, subject.Digest, subject.Size));
        OciJson.WriteAnnotations(writer, annotations);
        writer.WriteEndObject();
    });
}
