using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Diagnostics;
using PyContainer.Engine;
using PyContainer.Model;

using Task = System.Threading.Tasks.Task;

namespace PyContainer.Tasks;

/// <summary>
/// ContainerArchiveOutputPath: writes the built image with all its tags to a `docker save` tarball instead of
/// pushing it, for pipelines that scan an image before it reaches a registry.
/// </summary>
public sealed class SaveContainerImage : PyContainerTask
{
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    /// <summary>A file, or a folder (ending in a separator or existing) that gets REPOSITORY.tar.</summary>
    [Required]
    public string ContainerArchiveOutputPath { get; set; } = "";

    [Required]
    public string ContainerRepository { get; set; } = "";

    public string? ContainerEngineEndpoint { get; set; }

    [Output]
    public string GeneratedArchiveOutputPath { get; private set; } = "";

    [Output]
    public ITaskItem[] GeneratedContainer { get; private set; } = [];

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
