using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// ContainerArchiveOutputPath: writes the built image with all its tags to a `docker save` tarball instead of
/// pushing it, for pipelines that scan an image before it reaches a registry.
/// </summary>
public sealed partial class SaveContainerImage : PyContainerTask
{
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    /// <summary>A file, or a folder (ending in a separator or existing) that gets REPOSITORY.tar.</summary>
    [Required]
    public string ContainerArchiveOutputPath { get; set; } = "";

    [Required]
    public string ContainerRepository { get; set; } = "";

    public string? ContainerEngineEndpoint { get; set; }

    [Output]
    public string GeneratedArchiveOutputPath { get; private set; } = "";

    [Output]
    public ITaskItem[] GeneratedContainer { get; private set; } = [];
}
