using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// Writes docker-compose.yml from service items: PyContainer projects (metadata Registry, Repository, Tags,
/// Ports, Volumes) and extra services (metadata Image, Ports), all with optional Environment ("NAME=value;...") and DependsOn.
/// </summary>
public sealed partial class WriteComposeFile : PyContainerTask
{
    [Required]
    public ITaskItem[] Services { get; set; } = [];

    [Required]
    public string OutputFile { get; set; } = "";
}
