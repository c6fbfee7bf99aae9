using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Python;

namespace PyContainer.Images;

/// <summary>What ContainerBuild asks for: a context, the tags to give the image, build arguments and the state file.</summary>
/// <param name="Context">The generated build context.</param>
/// <param name="References">Every tag the image gets, validated before any work.</param>
/// <param name="BuildArguments">Build arguments from the project (index URLs); the environment's index credentials are added.</param>
/// <param name="BuildKit">ContainerBuildKit: whether BuildKit may be used (the builder may still lack it).</param>
/// <param name="StateFile">Where the last build's inputs digest and image id are kept (obj/).</param>
public sealed record ImageBuildRequest(BuildContext Context, IReadOnlyList<ImageReference> References, IReadOnlyDictionary<string, string> BuildArguments, bool BuildKit, string StateFile)
{
    /// <summary>The platforms asked for (ContainerRuntimeIdentifiers); empty for the builder's own. Part of the inputs digest.</summary>
    public IReadOnlyList<ContainerPlatform> Platforms { get; init; } = [];
}

/// <summary>
/// The build policy, for any <see cref="IImageBuilder"/>: skip the build when no input changed and the image is
/// still there (<see cref="BuildState"/>); else build the entry-point check stage first, then the image; tag only
/// after a build succeeded, so a failed build never moves a tag; and keep the package index credentials out of
/// every log line and error (they reach the builder as build arguments only).
/// </summary>
/// <param name="connect">Connects the builder; called once the inputs are known to be valid.</param>
/// <param name="log">Where progress goes (redacted when index credentials are in play).</param>
/// <param name="environment">Environment lookup for the index credentials; the process environment when null.</param>
public sealed class ImageBuildService(Func<CancellationToken, Task<IImageBuilder>> connect, IBuildLog log, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>Builds (or reuses) the image, tags it with every reference, and returns its id.</summary>
    public async Task<string> BuildAndTagAsync(ImageBuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.References.Count == 0)
        {
            throw new ArgumentException("An image needs at least one reference.", nameof(request));
        }

        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> argument in request.BuildArguments)
        {
            arguments[argument.Key] = argument.Value;
        }

        IReadOnlyList<string> secrets = PackageIndexCredentials.Apply(arguments, _environment, log);
        try
        {
            IBuildLog safeLog = secrets.Count == 0 ? log : new RedactingLog(log, secrets);
            using IImageBuilder builder = await connect(cancellationToken);
            string imageId = await BuildOrReuseAsync(builder, request, arguments, safeLog, cancellationToken);
            await TagAsync(builder, imageId, request.References, safeLog, cancellationToken);
            return imageId;
        }
        catch (PyContainerException e) when (secrets.Count > 0)
        {
            // A failing pip step's log tail could quote the index URL: no secret leaves in an error either.
            throw new PyContainerException(e.Code, PackageIndexCredentials.Redact(e.Message, secrets));
        }
    }

    /// <summary>The first characters of an image id ("sha256:" and 12 hex digits), as logs show it.</summary>
    public static string ShortId(string imageId)
    {
        ArgumentNullException.ThrowIfNull(imageId);
        return imageId[..Math.Min(19, imageId.Length)];
    }

    private static async Task<string> BuildOrReuseAsync(IImageBuilder builder, ImageBuildRequest request, IReadOnlyDictionary<string, string> arguments, IBuildLog log, CancellationToken cancellationToken)
    {
        string inputsDigest = BuildState.DigestOf(request.Context.ComputeDigest() + string.Concat(request.Platforms.Select(p => ";" + p)), arguments);
        BuildState? previous = BuildState.Load(request.StateFile);
        ImageReference first = request.References[0];
        if (previous is not null && previous.InputsDigest == inputsDigest
            && await builder.FindImageIdAsync(previous.ImageId, cancellationToken) == previous.ImageId)
        {
            log.Info($"{first} is up to date: no input changed since image {ShortId(previous.ImageId)} was built, so no build ran.");
            return previous.ImageId;
        }

        log.Info(builder.RunsDockerfile
            ? $"Building {first} with the engine at {builder.Endpoint} (from {builder.EndpointSource})"
            : $"Building {first} daemonless into {builder.Endpoint} (from {builder.EndpointSource})");
        BuildKitSupport support = builder.RunsDockerfile ? await builder.ProbeBuildKitAsync(cancellationToken) : BuildKitSupport.No;
        if (support.EngineNote is { } note)
        {
            log.Info(note);
        }

        bool buildKit = builder.RunsDockerfile && request.BuildKit && support.Available;
        if (builder.RunsDockerfile && request.BuildKit && !buildKit && support.EngineNote is null)
        {
            // An engine that said what it is (Podman) has no BuildKit by design: its note replaces the warning.
            log.Warning(Errors.NoBuildKit, Errors.Create(Errors.NoBuildKit, builder.Endpoint).Message);
        }

        if ((buildKit || support.LegacySkipsUnusedStages) && request.Context.CheckStage is { } checkStage)
        {
            // BuildKit (and Buildah) skip the check stage when building the image (nothing references it): build it first,
            // so a broken entry point fails here, and the image after it stays byte-identical to an unchecked one.
            string checkImage = await builder.BuildAsync(request.Context, arguments, buildKit, checkStage, log, cancellationToken);
            await builder.RemoveUntaggedImageAsync(checkImage, cancellationToken);
        }

        string imageId = await builder.BuildAsync(request.Context, arguments, buildKit, null, log, cancellationToken);
        // The same image as before keeps its push records, so an unchanged image is not pushed again.
        new BuildState(inputsDigest, imageId, previous?.ImageId == imageId ? previous.Pushed : []).Save(request.StateFile);
        return imageId;
    }

    private static async Task TagAsync(IImageBuilder builder, string imageId, IReadOnlyList<ImageReference> references, IBuildLog log, CancellationToken cancellationToken)
    {
        foreach (ImageReference reference in references)
        {
            if (await builder.TagAsync(imageId, reference, cancellationToken))
            {
                log.Info($"  Tagged {reference}");
            }
        }
    }
}
