using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// Checks ContainerRegistry and ContainerRepository on their own, before anything is generated, and derives the
/// repository from the project name when none is set ('Flaskr Blog' gives 'flaskr-blog', with PYC2009 saying so).
/// </summary>
public sealed partial class ResolveContainerRepository : PyContainerTask
{
    /// <summary>$(MSBuildProjectName): what an unset ContainerRepository is derived from.</summary>
    [Required]
    public string ProjectName { get; set; } = "";

    /// <summary>ContainerRepository as the project sets it; empty derives it from ProjectName.</summary>
    public string? ContainerRepository { get; set; }

    /// <summary>ContainerRegistry: host[:port], checked on its own (PYC1035).</summary>
    public string? ContainerRegistry { get; set; }

    /// <summary>True for ContainerPublish pushing to a registry: an empty ContainerRegistry is then PYC1019.</summary>
    public bool RequireContainerRegistry { get; set; }

    /// <summary>The ContainerRepository to use: as set, or the one derived from the project name.</summary>
    [Output]
    public string ResolvedContainerRepository { get; private set; } = "";
}
