using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Images;
using PyContainer.Sbom;

namespace PyContainer.Tasks;

// The parameters are in PushContainerImage.Interface.cs; this is what the task does with them.
public sealed partial class PushContainerImage
{
    protected override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        (IImageBuilder connected, Func<string?, RegistryCredential> credentials) = await ImageBuilders.ConnectWithCredentialsAsync(new BuilderSettings(ContainerBuildMode, ContainerEngineEndpoint, ContainerIntermediateDirectory, ContainerRuntimeIdentifiers, ContainerRuntimeIdentifier), log, cancellationToken);
        using IImageBuilder builder = connected;
        var service = new ImagePublishService(builder, log, credentials);
        List<BuiltImage> images = Images
            .Select(i => new BuiltImage(ImageReference.Parse(i.ItemSpec, "ContainerRegistry/ContainerRepository"), i.GetMetadata("ImageId")))
            .ToList();
        IReadOnlyList<PublishedImage> published = await service.PushAsync(images, StateFile, cancellationToken);
        Dictionary<string, string> sboms = Images.ToDictionary(i => i.ItemSpec, i => i.GetMetadata("Sbom"), StringComparer.Ordinal);
        var sbomPublisher = new SbomPublisher(credentials, log);
        foreach (PublishedImage image in published)
        {
            await sbomPublisher.AttachAsync(image, sboms.GetValueOrDefault(image.Reference.ToString(), "").Split(';', StringSplitOptions.RemoveEmptyEntries), cancellationToken);
        }

        GeneratedContainer = published
            .Select(p => (ITaskItem)new TaskItem(p.Reference.ToString(), new Dictionary<string, string>
            {
                ["Sbom"] = sboms.GetValueOrDefault(p.Reference.ToString(), ""),
                ["ImageId"] = p.ImageId,
                ["ManifestDigest"] = p.ManifestDigest,
                ["Registry"] = p.Reference.Registry ?? "",
                ["Repository"] = p.Reference.Repository,
                ["Tag"] = p.Reference.Tag ?? "",
            }))
            .ToArray();
    }
}
