using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Model;

using Task = System.Threading.Tasks.Task;

namespace PyContainer.Tasks;

// The parameters are in SaveContainerImage.Interface.cs; this is what the task does with them.
public sealed partial class SaveContainerImage
{
    protected override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        List<ImageReference> references = Images.Select(i => ImageReference.Parse(i.ItemSpec, "ContainerRepository/ContainerImageTags")).ToList();
        string path = ArchivePath(ContainerArchiveOutputPath, ContainerRepository);
        using DockerEngine engine = await DockerEngine.ConnectAsync(ContainerEngineEndpoint, cancellationToken);
        log.Info($"Saving {string.Join(", ", references)} to {path}");
        await engine.SaveAsync(references, path, cancellationToken);
        GeneratedArchiveOutputPath = path;
        GeneratedContainer = Images
            .Select(i => (ITaskItem)new TaskItem(i.ItemSpec, new Dictionary<string, string>
            {
                ["ImageId"] = i.GetMetadata("ImageId"),
                ["ArchivePath"] = path,
            }))
            .ToArray();
    }

    internal static string ArchivePath(string configured, string repository) =>
        configured.EndsWith('/') || configured.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(configured)
            ? Path.Combine(configured, repository.Replace('/', '-') + ".tar")
            : configured;
}
