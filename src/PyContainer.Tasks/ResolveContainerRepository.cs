using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

// The parameters are in ResolveContainerRepository.Interface.cs; this is what the task does with them.
public sealed partial class ResolveContainerRepository
{
    protected override Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        // ContainerPublish sets RequireContainerRegistry: an image bound for a registry needs one, known before
        // anything is built or tagged.
        ResolvedContainerRepository = RepositoryName.Resolve(ContainerRegistry, ContainerRepository, ProjectName, RequireContainerRegistry, out bool derived);
        if (derived)
        {
            LogDerivedName();
        }

        return Task.CompletedTask;
    }

    private void LogDerivedName()
    {
        if (ResolvedContainerRepository != ProjectName)
        {
            // A message, not a warning: the derived name is a working default the user did nothing wrong to get,
            // and a warning would fail builds that treat warnings as errors until a property nobody needs is set.
            Log.LogMessage(subcategory: null, Errors.RepositoryFromProjectName, helpKeyword: null, ProjectFullPath, 0, 0, 0, 0,
                MessageImportance.High, Errors.Create(Errors.RepositoryFromProjectName, ProjectName, ResolvedContainerRepository).Message);
        }
    }
}
