using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Diagnostics;
using PyContainer.Engine;
using PyContainer.Model;
using PyContainer.Registry;

using Task = System.Threading.Tasks.Task;

namespace PyContainer.Tasks;

/// <summary>Pushes each built reference through the engine; outputs GeneratedContainer items with their digest.</summary>
public sealed class PushContainerImage : PyContainerTask
{
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    public string? ContainerEngineEndpoint { get; set; }

    [Output]
    public ITaskItem[] GeneratedContainer { get; private set; } = [];

    protected override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        using DockerEngine engine = await DockerEngine.ConnectAsync(ContainerEngineEndpoint, cancellationToken);
        var pushed = new List<ITaskItem>();
        foreach (ITaskItem image in Images)
        {
            ImageReference reference = ImageReference.Parse(image.ItemSpec, "ContainerRegistry/ContainerRepository");
            log.Info($"Pushing {reference}");
            string digest = await engine.PushAsync(reference, RegistryCredentials.Find(reference.Registry), log, cancellationToken);
            log.Info($"  Pushed {reference} ({digest})");
            pushed.Add(new TaskItem(reference.ToString(), new Dictionary<string, string>
            {
                ["ImageId"] = image.GetMetadata("ImageId"),
                ["ManifestDigest"] = digest,
                ["Registry"] = reference.Registry ?? "",
                ["Repository"] = reference.Repository,
                ["Tag"] = reference.Tag ?? "",
            }));
        }

        GeneratedContainer = pushed.ToArray();
    }
}
