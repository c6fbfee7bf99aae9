using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>Builds the generated context in the engine with BuildKit, then applies every tag.</summary>
public sealed partial class BuildContainerImage : PyContainerTask
{
    [Required]
    public string ContextManifest { get; set; } = "";

    [Required]
    public string ContainerRepository { get; set; } = "";

    public string? ContainerRegistry { get; set; }

    [Required]
    public string[] ContainerImageTags { get; set; } = [];

    /// <summary>Set by ContainerPublish: an image bound for a registry needs ContainerRegistry.</summary>
    public bool RequireRegistry { get; set; }

    public ITaskItem[] BuildArguments { get; set; } = [];

    /// <summary>False for engines without BuildKit: the legacy builder is asked for instead.</summary>
    public bool ContainerBuildKit { get; set; } = true;

    public string? ContainerEngineEndpoint { get; set; }

    /// <summary>Where the last build's inputs digest and image id are kept for incremental builds.</summary>
    [Required]
    public string StateFile { get; set; } = "";

    [Output]
    public string ImageId { get; private set; } = "";

    /// <summary>The full references the image was tagged with.</summary>
    [Output]
    public ITaskItem[] Images { get; private set; } = [];
}
