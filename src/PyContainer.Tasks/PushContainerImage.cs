using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Incremental;
using PyContainer.Model;
using PyContainer.Python;

using Task = System.Threading.Tasks.Task;

namespace PyContainer.Tasks;

// The parameters are in PushContainerImage.Interface.cs; this is what the task does with them.
public sealed partial class PushContainerImage
{
    protected override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        using DockerEngine engine = await DockerEngine.ConnectAsync(ContainerEngineEndpoint, cancellationToken);
        BuildState? state = BuildState.Load(StateFile);
        var pushed = new List<ITaskItem>();
        var records = new List<PushedImage>();
        foreach (ITaskItem image in Images)
        {
            ImageReference reference = ImageReference.Parse(image.ItemSpec, "ContainerRegistry/ContainerRepository");
            string imageId = image.GetMetadata("ImageId");
            string digest = await AlreadyPushedDigestAsync(engine, state, imageId, reference, cancellationToken) is { } existing
                ? Skipped(log, reference, existing)
                : await PushAsync(engine, reference, log, cancellationToken);
            records.Add(new PushedImage(reference.ToString(), digest));
            pushed.Add(new TaskItem(reference.ToString(), new Dictionary<string, string>
            {
                ["ImageId"] = imageId,
                ["ManifestDigest"] = digest,
                ["Registry"] = reference.Registry ?? "",
                ["Repository"] = reference.Repository,
                ["Tag"] = reference.Tag ?? "",
            }));
        }

        if (state is not null)
        {
            (state with { Pushed = records }).Save(StateFile);
        }

        GeneratedContainer = pushed.ToArray();
    }

    /// <summary>
    /// The digest of an earlier push of this very image to this reference, when the registry still serves it;
    /// null when a push is needed.
    /// </summary>
    private static async Task<string?> AlreadyPushedDigestAsync(DockerEngine engine, BuildState? state, string imageId, ImageReference reference, CancellationToken cancellationToken)
    {
        PushedImage? earlier = state is not null && state.ImageId == imageId
            ? state.Pushed.FirstOrDefault(p => p.Reference == reference.ToString())
            : null;
        return earlier is not null && await engine.FindRegistryDigestAsync(reference, cancellationToken) == earlier.ManifestDigest
            ? earlier.ManifestDigest
            : null;
    }

    private static string Skipped(IBuildLog log, ImageReference reference, string digest)
    {
        log.Info($"{reference} is up to date in the registry ({digest}): no push.");
        return digest;
    }

    private static async Task<string> PushAsync(DockerEngine engine, ImageReference reference, IBuildLog log, CancellationToken cancellationToken)
    {
        RegistryCredential credential = RegistryCredentials.Resolve(reference.Registry);
        log.Info($"Pushing {reference} (credentials: {credential.Source})");
        string digest = await engine.PushAsync(reference, credential.Auth, log, cancellationToken);
        log.Info($"  Pushed {reference} ({digest})");
        return digest;
    }
}
