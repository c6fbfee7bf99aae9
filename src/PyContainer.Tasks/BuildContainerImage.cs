using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Context;
using PyContainer.Images;

namespace PyContainer.Tasks;

// The parameters are in BuildContainerImage.Interface.cs; this is what the task does with them.
public sealed partial class BuildContainerImage
{
    protected override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        // Validate every reference before the engine does any work: a bad tag must fail fast and tag nothing.
        List<ImageReference> references = ContainerImageTags
            .Select(tag => ImageReference.FromParts(ContainerRegistry, ContainerRepository, tag, "ContainerRepository/ContainerImageTags"))
            .ToList();
        var settings = new BuilderSettings(ContainerBuildMode, ContainerEngineEndpoint, ContainerIntermediateDirectory, ContainerRuntimeIdentifiers, ContainerRuntimeIdentifier);
        var request = new ImageBuildRequest(
            BuildContext.Load(ContextManifest),
            references,
            BuildArguments.ToDictionary(a => a.ItemSpec, a => a.GetMetadata("Value"), StringComparer.Ordinal),
            ContainerBuildKit,
            StateFile)
        {
            Platforms = settings.Platforms,
        };

        var service = new ImageBuildService(token => ImageBuilders.ConnectAsync(settings, log, token), log);
        ContainerImageId = await service.BuildAndTagAsync(request, cancellationToken);
        Images = references
            .Select(r => (ITaskItem)new TaskItem(r.ToString(), new Dictionary<string, string> { ["ImageId"] = ContainerImageId }))
            .ToArray();
    }
}
