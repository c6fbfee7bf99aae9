using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// ContainerPublish with ContainerArchiveOutputPath: writes the built image with all its tags to a `docker save`
/// tarball instead of pushing it, for pipelines that scan an image before it reaches a registry.
/// </summary>
public sealed partial class SaveContainerImage : PyContainerTask
{
    /// <summary>The references BuildContainerImage tagged (its Images output); metadata ImageId.</summary>
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    /// <summary>ContainerArchiveOutputPath, made absolute: a file, or a folder (ending in a separator or existing) that gets REPOSITORY.tar.</summary>
    [Required]
    public string ContainerArchiveOutputPath { get; set; } = "";

    /// <summary>ContainerRepository: names the tarball when ContainerArchiveOutputPath is a folder.</summary>
    [Required]
    public string ContainerRepository { get; set; } = "";

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

    /// <summary>GeneratedArchiveOutputPath: the tarball written.</summary>
    [Output]
    public string GeneratedArchiveOutputPath { get; private set; } = "";

    /// <summary>GeneratedContainer: one item for the archive; metadata ImageId, ArchivePath.</summary>
    [Output]
    public ITaskItem[] GeneratedContainer { get; private set; } = [];
}
