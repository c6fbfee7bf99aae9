using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Docker;
using PyContainer.Incremental;
using PyContainer.Model;
using PyContainer.Python;

using Task = System.Threading.Tasks.Task;

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
        BuildContext context = BuildContext.Load(ContextManifest);
        var arguments = BuildArguments.ToDictionary(a => a.ItemSpec, a => a.GetMetadata("Value"), StringComparer.Ordinal);
        IReadOnlyList<string> secrets = PackageIndexCredentials.Apply(arguments, Environment.GetEnvironmentVariable, log);
        try
        {
            await BuildAndTagAsync(context, arguments, references, secrets.Count == 0 ? log : new RedactingLog(log, secrets), cancellationToken);
        }
        catch (PyContainerException e) when (secrets.Count > 0)
        {
            // A failing pip step's log tail could quote the index URL: no secret leaves in an error either.
            throw new PyContainerException(e.Code, PackageIndexCredentials.Redact(e.Message, secrets));
        }
    }

    private async Task BuildAndTagAsync(BuildContext context, Dictionary<string, string> arguments, List<ImageReference> references, IBuildLog log, CancellationToken cancellationToken)
    {
        string inputsDigest = BuildState.DigestOf(context.ComputeDigest(), arguments);
        BuildState? previous = BuildState.Load(StateFile);

        using DockerEngine engine = await DockerEngine.ConnectAsync(ContainerEngineEndpoint, cancellationToken);
        if (previous is not null && previous.InputsDigest == inputsDigest
            && await engine.FindImageIdAsync(previous.ImageId, cancellationToken) == previous.ImageId)
        {
            ContainerImageId = previous.ImageId;
            log.Info($"{references[0]} is up to date: no input changed since image {ShortId(ContainerImageId)} was built, so no build ran.");
        }
        else
        {
            log.Info($"Building {references[0]} with the engine at {engine.Endpoint} (from {engine.EndpointSource})");
            bool buildKit = ContainerBuildKit && await engine.SupportsBuildKitAsync(cancellationToken);
            if (ContainerBuildKit && !buildKit)
            {
                log.Warning(Errors.NoBuildKit, Errors.Create(Errors.NoBuildKit, engine.Endpoint).Message);
            }

            if (buildKit && context.CheckStage is { } checkStage)
            {
                // BuildKit skips the check stage when building the image (nothing references it): build it first,
                // so a broken entry point fails here, and the image after it stays byte-identical to an unchecked one.
                string checkImage = await engine.BuildAsync(context, arguments, buildKit, log, cancellationToken, checkStage);
                await engine.RemoveUntaggedImageAsync(checkImage, cancellationToken);
            }

            ContainerImageId = await engine.BuildAsync(context, arguments, buildKit, log, cancellationToken);
            new BuildState(inputsDigest, ContainerImageId, previous?.ImageId == ContainerImageId ? previous.Pushed : []).Save(StateFile);
        }

        foreach (ImageReference reference in references)
        {
            if (await engine.TagAsync(ContainerImageId, reference, cancellationToken))
            {
                log.Info($"  Tagged {reference}");
            }
        }

        Images = references
            .Select(r => (ITaskItem)new TaskItem(r.ToString(), new Dictionary<string, string> { ["ImageId"] = ContainerImageId }))
            .ToArray();
    }

    internal static string ShortId(string imageId) => imageId[..Math.Min(19, imageId.Length)];

    /// <summary>Step logs pass through here when index credentials are in play: every secret becomes "***".</summary>
    private sealed class RedactingLog(IBuildLog inner, IReadOnlyList<string> secrets) : IBuildLog
    {
        public void Info(string message) => inner.Info(PackageIndexCredentials.Redact(message, secrets));

        public void Detail(string message) => inner.Detail(PackageIndexCredentials.Redact(message, secrets));

        public void Warning(string code, string message) => inner.Warning(code, PackageIndexCredentials.Redact(message, secrets));
    }
}
