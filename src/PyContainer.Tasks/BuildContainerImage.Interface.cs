using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// ContainerBuild: builds the generated context in the engine (BuildKit unless ContainerBuildKit is false or the
/// engine lacks it), then tags the image with every reference. Parameters named as the MSBuild properties they carry.
/// </summary>
public sealed partial class BuildContainerImage : PyContainerTask
{
    /// <summary>The context manifest GenerateContainerContext wrote (its ContextManifest output).</summary>
    [Required]
    public string ContextManifest { get; set; } = "";

    /// <summary>ContainerRepository, as resolved by ResolveContainerRepository (set or derived from the project name).</summary>
    [Required]
    public string ContainerRepository { get; set; } = "";

    /// <summary>ContainerRegistry: host[:port] the tags are prefixed with; empty tags the image for the local engine only.</summary>
    public string? ContainerRegistry { get; set; }

    /// <summary>ContainerImageTags: one reference per tag is tagged.</summary>
    [Required]
    public string[] ContainerImageTags { get; set; } = [];

    /// <summary>Build arguments (GenerateContainerContext's BuildArguments output); metadata Value holds the value.</summary>
    public ITaskItem[] BuildArguments { get; set; } = [];

    /// <summary>ContainerBuildKit: false asks for the legacy builder (and the context's legacy Dockerfile).</summary>
    [Required]
    public bool ContainerBuildKit { get; set; }

    /// <summary>ContainerBuildMode: Dockerfile (an engine builds the generated Dockerfile) or Daemonless (PyContainer assembles the image and talks to the registry itself).</summary>
    [Required]
    public string ContainerBuildMode { get; set; } = "";

    /// <summary>ContainerIntermediateDirectory: the daemonless builder keeps its image store (an OCI image layout) in its image/ folder.</summary>
    [Required]
    public string ContainerIntermediateDirectory { get; set; } = "";

    /// <summary>ContainerEngineEndpoint: the engine's address; empty resolves DOCKER_HOST, the docker context, the socket.</summary>
    public string? ContainerEngineEndpoint { get; set; }

    /// <summary>ContainerRuntimeIdentifiers: the platforms to build for (linux-x64;linux-arm64); several make an image index.</summary>
    public string? ContainerRuntimeIdentifiers { get; set; }

    /// <summary>ContainerRuntimeIdentifier: the one platform to build for, when ContainerRuntimeIdentifiers is empty.</summary>
    public string? ContainerRuntimeIdentifier { get; set; }

    /// <summary>ContainerGenerateSbom: write an SPDX SBOM per platform under ContainerIntermediateDirectory/sbom/.</summary>
    public bool ContainerGenerateSbom { get; set; }

    /// <summary>Where the last build's inputs digest and image id are kept for incremental builds.</summary>
    [Required]
    public string StateFile { get; set; } = "";

    /// <summary>ContainerImageId: the built image's id (sha256:...) in the local engine.</summary>
    [Output]
    public string ContainerImageId { get; private set; } = "";

    /// <summary>The SBOM files written (one per platform), empty when ContainerGenerateSbom is false.</summary>
    [Output]
    public ITaskItem[] Sboms { get; private set; } = [];

    /// <summary>The full references the image was tagged with; metadata ImageId and Sbom (the SBOM files, ';'-separated).</summary>
    [Output]
    public ITaskItem[] Images { get; private set; } = [];
}
