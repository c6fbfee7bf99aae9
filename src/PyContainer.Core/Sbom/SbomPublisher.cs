using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.Images;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Sbom;

/// <summary>
/// ContainerPublish's SBOMs: after a push (or a push skipped as up to date), each platform's SBOM is attached to the
/// pushed manifest with that platform (the manifest itself, or the child of a pushed index) as an OCI referrer
/// (<see cref="Referrers"/>); one already attached is left as it is. A failure is PYC4010: the image is pushed by then.
/// </summary>
/// <param name="credentials">The credentials for a registry host (null for Docker Hub): the push's.</param>
/// <param name="log">Where progress goes.</param>
public sealed class SbomPublisher(Func<string?, RegistryCredential> credentials, IBuildLog log)
{
    /// <summary>Attaches the SBOM files to the published image.</summary>
    public async Task AttachAsync(PublishedImage image, IReadOnlyList<string> sbomFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(sbomFiles);
        if (sbomFiles.Count == 0)
        {
            return;
        }

        string registry = image.Reference.Registry ?? RemoteImage.DockerHubRegistry;
        try
        {
            using var client = RegistryClient.For(registry, host => credentials(host == RemoteImage.DockerHubRegistry ? null : host));
            ManifestResponse pushed = await client.GetManifestAsync(image.Reference.Repository, image.ManifestDigest, cancellationToken);
            foreach (string file in sbomFiles)
            {
                // The pushed manifest itself, or the index's manifest for the SBOM's platform, matched as any platform is.
                Platform platform = SbomFiles.PlatformOf(file) ?? throw new InvalidDataException($"{Path.GetFileName(file)} names no platform");
                Descriptor subject = PlatformManifests.Select(pushed, platform.Os, platform.Architecture, platform.Variant, image.Reference.ToString());
                byte[] content = await File.ReadAllBytesAsync(file, cancellationToken);
                var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [Referrers.CreatedAnnotation] = CreatedOf(content) };
                string referrer = await Referrers.AttachAsync(client, image.Reference.Repository, subject, SpdxDocument.MediaType, content, annotations, cancellationToken);
                log.Info($"  Attached the SBOM {Path.GetFileName(file)} to {image.Reference.Name}@{subject.Digest} ({referrer})");
            }
        }
        catch (Exception e) when (e is PyContainerException or IOException or InvalidDataException or JsonException or KeyNotFoundException or UnauthorizedAccessException)
        {
            throw Errors.Create(Errors.SbomAttachFailed, e, image.Reference, image.ManifestDigest, e.Message);
        }
    }

    /// <summary>The SBOM's creationInfo.created, which its referrer's org.opencontainers.image.created repeats.</summary>
    private static string CreatedOf(byte[] spdx)
    {
        using var document = JsonDocument.Parse(spdx);
        return document.RootElement.GetProperty("creationInfo").GetProperty("created").GetString() ?? "";
    }
}
