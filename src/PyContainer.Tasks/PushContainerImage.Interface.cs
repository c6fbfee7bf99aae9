using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>ContainerPublish: pushes each built reference through the engine; outputs GeneratedContainer items with their digest.</summary>
public sealed partial class PushContainerImage : PyContainerTask
{
    /// <summary>The references BuildContainerImage tagged (its Images output); metadata ImageId and Sbom (the SBOM files to attach, ';'-separated).</summary>
    [Required]
    public ITaskItem[] Images { get; set; } = [];

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

    /// <summary>The state ContainerBuild wrote; pushes are recorded in it, so an unchanged image is not pushed again.</summary>
    [Required]
    public string StateFile { get; set; } = "";

    /// <summary>GeneratedContainer: one item per pushed reference; metadata ImageId, ManifestDigest, Registry, Repository, Tag, Sbom.</summary>
    [Output]
    public ITaskItem[] GeneratedContainer { get; private set; } = [];
}
