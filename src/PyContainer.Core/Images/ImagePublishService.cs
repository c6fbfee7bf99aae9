using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Images;

/// <summary>An image ContainerBuild tagged: one reference and the image id behind it.</summary>
public sealed record BuiltImage(ImageReference Reference, string ImageId);

/// <summary>A reference in the registry and the manifest digest it has there.</summary>
public sealed record PublishedImage(ImageReference Reference, string ImageId, string ManifestDigest);

/// <summary>
/// The publish policy, for any <see cref="IImageBuilder"/>: push each reference unless the state file says this very
/// image was pushed there and the registry still serves that digest (skip-if-pushed), record the pushes, or save
/// all references to one archive instead.
/// </summary>
/// <param name="builder">The connected builder.</param>
/// <param name="log">Where progress goes.</param>
/// <param name="credentials">The credentials for a registry host (null for Docker Hub), asked only for a push that runs; none to save only.</param>
public sealed class ImagePublishService(IImageBuilder builder, IBuildLog log, Func<string?, RegistryCredential>? credentials = null)
{
    /// <summary>Pushes (or skips) every image, records the pushes in <paramref name="stateFile"/>, returns their digests.</summary>
    public async Task<IReadOnlyList<PublishedImage>> PushAsync(IReadOnlyList<BuiltImage> images, string stateFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        BuildState? state = BuildState.Load(stateFile);
        var published = new List<PublishedImage>();
        foreach (BuiltImage image in images)
        {
            string digest = await AlreadyPushedDigestAsync(state, image, cancellationToken) is { } existing
                ? Skipped(image.Reference, existing)
                : await PushAsync(image.Reference, cancellationToken);
            published.Add(new PublishedImage(image.Reference, image.ImageId, digest));
        }

        // Only after every push succeeded: a failed publish records nothing, so the next one pushes again.
        if (state is not null)
        {
            (state with { Pushed = published.Select(p => new PushedImage(p.Reference.ToString(), p.ManifestDigest)).ToList() }).Save(stateFile);
        }

        return published;
    }

    /// <summary>Saves every reference to one archive at the configured path and returns the file written.</summary>
    /// <param name="references">The image's references, all of which go into the archive.</param>
    /// <param name="configuredPath">ContainerArchiveOutputPath: a file, or a folder (ending in a separator or existing) that gets REPOSITORY.tar.</param>
    /// <param name="repository">ContainerRepository, which names the file in a folder.</param>
    /// <param name="cancellationToken">Ends the save; no partial archive is left.</param>
    public async Task<string> SaveAsync(IReadOnlyList<ImageReference> references, string configuredPath, string repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        string path = ArchivePath(configuredPath, repository);
        log.Info($"Saving {string.Join(", ", references)} to {path}");
        await builder.SaveAsync(references, path, cancellationToken);
        return path;
    }

    /// <summary>The archive file for ContainerArchiveOutputPath: REPOSITORY.tar inside a folder, else the path itself.</summary>
    public static string ArchivePath(string configured, string repository)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(repository);
        return configured.EndsWith('/') || configured.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(configured)
            ? Path.Combine(configured, repository.Replace('/', '-') + ".tar")
            : configured;
    }

    /// <summary>
    /// The digest of an earlier push of this very image to this reference, when the registry still serves it;
    /// null when a push is needed.
    /// </summary>
    private async Task<string?> AlreadyPushedDigestAsync(BuildState? state, BuiltImage image, CancellationToken cancellationToken)
    {
        PushedImage? earlier = state is not null && state.ImageId == image.ImageId
            ? state.Pushed.FirstOrDefault(p => p.Reference == image.Reference.ToString())
            : null;
        return earlier is not null && await builder.FindRegistryDigestAsync(image.Reference, cancellationToken) == earlier.ManifestDigest
            ? earlier.ManifestDigest
            : null;
    }

    private string Skipped(ImageReference reference, string digest)
    {
        log.Info($"{reference} is up to date in the registry ({digest}): no push.");
        return digest;
    }

    private async Task<string> PushAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        RegistryCredential credential = credentials?.Invoke(reference.Registry)
            ?? throw new InvalidOperationException("This publish service was made without credentials: it can save, not push.");
        log.Info($"Pushing {reference} (credentials: {credential.Source})");
        string digest = await builder.PushAsync(reference, credential, log, cancellationToken);
        log.Info($"  Pushed {reference} ({digest})");
        return digest;
    }
}
