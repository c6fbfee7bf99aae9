using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// Checks ContainerRegistry and ContainerRepository on their own, before anything is generated, and derives the
/// repository from the project name when none is set ('Flaskr Blog' gives 'flaskr-blog', with PYC2009 saying so).
/// </summary>
public sealed partial class ResolveContainerRepository : PyContainerTask
{
    [Required]
    public string ProjectName { get; set; } = "";

    public string? ContainerRepository { get; set; }

    public string? ContainerRegistry { get; set; }

    /// <summary>The repository to use: ContainerRepository as set, or the one derived from the project name.</summary>
    [Output]
    public string Repository { get; private set; } = "";
}
