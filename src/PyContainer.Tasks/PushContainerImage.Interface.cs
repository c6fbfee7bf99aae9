using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>Pushes each built reference through the engine; outputs GeneratedContainer items with their digest.</summary>
public sealed partial class PushContainerImage : PyContainerTask
{
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    public string? ContainerEngineEndpoint { get; set; }

    /// <summary>The state ContainerBuild wrote; pushes are recorded in it, so an unchanged image is not pushed again.</summary>
    [Required]
    public string StateFile { get; set; } = "";

    [Output]
    public ITaskItem[] GeneratedContainer { get; private set; } = [];
}
