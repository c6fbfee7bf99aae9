using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Images;

namespace PyContainer.Tasks;

// The parameters are in SaveContainerImage.Interface.cs; this is what the task does with them.
public sealed partial class SaveContainerImage
{
    protected override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        List<ImageReference> references = Images.Select(i => ImageReference.Parse(i.ItemSpec, "ContainerRepository/ContainerImageTags")).ToList();
        using IImageBuilder builder = await ImageBuilders.ConnectAsync(new BuilderSettings(ContainerBuildMode, ContainerEngineEndpoint, ContainerIntermediateDirectory, ContainerRuntimeIdentifiers, ContainerRuntimeIdentifier), log, cancellationToken);
        var service = new ImagePublishService(builder, log);
        string path = await service.SaveAsync(references, ContainerArchiveOutputPath, ContainerRepository, cancellationToken);
        GeneratedArchiveOutputPath = path;
        GeneratedContainer = Images
            .Select(i => (ITaskItem)new TaskItem(i.ItemSpec, new Dictionary<string, string>
            {
                ["ImageId"] = i.GetMetadata("ImageId"),
                ["ArchivePath"] = path,
            }))
            .ToArray();
    }
}
