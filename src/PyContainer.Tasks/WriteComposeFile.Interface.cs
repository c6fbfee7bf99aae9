using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// ContainerCompose: writes docker-compose.yml from service items: PyContainer projects (metadata Registry,
/// Repository, Tags, Ports, Volumes) and extra services (metadata Image, Ports), all with optional Environment
/// ("NAME=value;...") and DependsOn.
/// </summary>
public sealed partial class WriteComposeFile : PyContainerTask
{
    /// <summary>This project's service, its referenced projects' and the ContainerComposeService items.</summary>
    [Required]
    public ITaskItem[] Services { get; set; } = [];

    /// <summary>ContainerComposeFile: where the compose file is written.</summary>
    [Required]
    public string ContainerComposeFile { get; set; } = "";
}
