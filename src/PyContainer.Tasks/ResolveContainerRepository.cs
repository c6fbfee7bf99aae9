using Microsoft.Build.Framework;
using PyContainer.Diagnostics;
using PyContainer.Model;

using Task = System.Threading.Tasks.Task;

namespace PyContainer.Tasks;

/// <summary>
/// Checks ContainerRegistry and ContainerRepository on their own, before anything is generated, and derives the
/// repository from the project name when none is set ('Flaskr Blog' gives 'flaskr-blog', with PYC2009 saying so).
/// </summary>
public sealed class ResolveContainerRepository : PyContainerTask
{
    [Required]
    public string ProjectName { get; set; } = "";

    public string? ContainerRepository { get; set; }

    public string? ContainerRegistry { get; set; }

    /// <summary>The repository to use: ContainerRepository as set, or the one derived from the project name.</summary>
    [Output]
    public string Repository { get; private set; } = "";

    protected override Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(ContainerRegistry))
        {
            RegistryName.Validate(ContainerRegistry!);
        }

        if (!string.IsNullOrEmpty(ContainerRepository))
        {
            ImageReference.FromParts(null, ContainerRepository!, null, "ContainerRepository");
            Repository = ContainerRepository!;
            return Task.CompletedTask;
        }

        Repository = RepositoryName.FromProjectName(ProjectName)
            ?? throw Errors.Create(Errors.NoRepositoryFromProjectName, ProjectName);
        if (Repository != ProjectName)
        {
            // A message, not a warning: the derived name is a working default the user did nothing wrong to get,
            // and a warning would fail builds that treat warnings as errors until a property nobody needs is set.
            Log.LogMessage(subcategory: null, Errors.RepositoryFromProjectName, helpKeyword: null, ProjectFullPath, 0, 0, 0, 0,
                MessageImportance.High, Errors.Create(Errors.RepositoryFromProjectName, ProjectName, Repository).Message);
        }

        return Task.CompletedTask;
    }
}
