using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Sbom;

namespace PyContainer.Images;

/// <summary>
/// What builds, tags, stores and pushes images: the Docker engine (<c>DockerEngine</c>) is one implementation,
/// a daemonless builder another. It does what it is asked and reports failures as coded errors; the policy
/// (incremental builds, the entry-point check first, redaction, skip-if-pushed) is the core services'
/// (<see cref="ImageBuildService"/>, <see cref="ImagePublishService"/>), which is why no builder-specific type
/// appears here.
/// </summary>
public interface IImageBuilder : IDisposable
{
    /// <summary>Where the builder works (an engine address), for logs and messages.</summary>
    string Endpoint { get; }

    /// <summary>Why this endpoint was chosen (the property, DOCKER_HOST, a docker context, ...), for the log.</summary>
    string EndpointSource { get; }

    /// <summary>
    /// Whether the builder runs the generated Dockerfile (an engine). The daemonless builder assembles the image
    /// from the context's image plan instead: no BuildKit to ask for, and no check stage, which needs a container.
    /// </summary>
    bool RunsDockerfile { get; }

    /// <summary>
    /// Whether BuildKit (<c>RUN --mount</c>) is available; when not, the legacy Dockerfile is built. An engine that
    /// is not Docker's (Podman: Buildah behind /build) says so in <see cref="BuildKitSupport.EngineNote"/>.
    /// </summary>
    Task<BuildKitSupport> ProbeBuildKitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Builds <see cref="BuildContext.DockerfileFor"/> of the context and returns the image id; the image gets no
    /// tag. A failure is PYC3002/PYC3003/PYC3007, a cancellation PYC3004.
    /// </summary>
    /// <param name="target">The stage to build (<see cref="BuildContext.CheckStage"/>), or null for the image.</param>
    Task<string> BuildAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit, string? target, IBuildLog log, CancellationToken cancellationToken);

    /// <summary>Tags the image unless the tag already points at it; returns whether it had to tag.</summary>
    Task<bool> TagAsync(string imageId, ImageReference reference, CancellationToken cancellationToken);

    /// <summary>The id of the local image <paramref name="nameOrId"/>, or null when there is no such image.</summary>
    Task<string?> FindImageIdAsync(string nameOrId, CancellationToken cancellationToken);

    /// <summary>The manifest digest the registry holds for the reference, or null when it cannot tell.</summary>
    Task<string?> FindRegistryDigestAsync(ImageReference reference, CancellationToken cancellationToken);

    /// <summary>Pushes one tag and returns the manifest digest; PYC4001/PYC4002/PYC4003 when it fails.</summary>
    Task<string> PushAsync(ImageReference reference, RegistryCredential credential, IBuildLog log, CancellationToken cancellationToken);

    /// <summary>Writes every reference of the image to one `docker save` tarball at <paramref name="path"/> (PYC3005).</summary>
    Task SaveAsync(IReadOnlyList<ImageReference> references, string path, CancellationToken cancellationToken);

    /// <summary>
    /// What the image holds beyond its base, per platform (one entry for a single-platform image), for its SBOM.
    /// A failure to read the image is PYC3026.
    /// </summary>
    /// <param name="imageId">The image (its id, as <see cref="BuildAsync"/> returned it).</param>
    /// <param name="baseImage">
    /// The runner stage's base image as the build context names it (<see cref="Dockerfile.RunnerBase.Of"/>): an
    /// engine's image does not say what it was built from, so its own layers are those after this image's. A builder
    /// that records its base (the daemonless one, in the manifest's annotations) ignores it.
    /// </param>
    /// <param name="cancellationToken">Ends the reading.</param>
    Task<IReadOnlyList<ImageInventory>> InventoryAsync(string imageId, string? baseImage, CancellationToken cancellationToken);

    /// <summary>Removes an untagged image (the check stage's), unless something else still uses it.</summary>
    Task RemoveUntaggedImageAsync(string imageId, CancellationToken cancellationToken);
}
