using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Context;
using PyContainer.Images;
using PyContainer.Sbom;

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

        Func<CancellationToken, Task<IImageBuilder>> connect = token => ImageBuilders.ConnectAsync(settings, log, token);
        var service = new ImageBuildService(connect, log);
        ContainerImageId = await service.BuildAndTagAsync(request, cancellationToken);
        IReadOnlyList<string> sboms = ContainerGenerateSbom
            ? await new SbomWriter(connect, log).WriteAsync(ContainerImageId, references[0], request.Context, ContainerIntermediateDirectory, cancellationToken)
            : [];
        Sboms = sboms.Select(s => (ITaskItem)new TaskItem(s)).ToArray();
        Images = references
            .Select(r => (ITaskItem)new TaskItem(r.ToString(), new Dictionary<string, string> { ["ImageId"] = ContainerImageId, ["Sbom"] = string.Join(';', sboms) }))
            .ToArray();
    }
}
