using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Images;
using PyContainer.Model;

namespace PyContainer.Tests.TestSupport;

/// <summary>
/// An <see cref="IImageBuilder"/> in memory, for the core services' unit tests: it records every call, keeps
/// local images, tags and registry digests in dictionaries, and fails where a test tells it to.
/// </summary>
internal sealed class FakeImageBuilder : IImageBuilder
{
    public string Endpoint => "fake://builder";

    public string EndpointSource => "the test";

    public bool HasBuildKit { get; set; } = true;

    /// <summary>False plays the daemonless builder: no BuildKit probe, no check stage.</summary>
    public bool RunsDockerfile { get; set; } = true;

    /// <summary>The id each build returns, by target (null: the image).</summary>
    public Func<string?, string> ImageIdFor { get; set; } = target => target is null ? "sha256:image" : "sha256:" + target;

    /// <summary>Thrown by a build of that target (null: the image), instead of building.</summary>
    public Dictionary<string, Exception> BuildFailures { get; } = new(StringComparer.Ordinal);

    public Exception? ImageBuildFailure { get; set; }

    /// <summary>Lines every build logs (as a step's output would).</summary>
    public List<string> BuildOutput { get; } = [];

    public List<(string? Target, bool BuildKit, IReadOnlyDictionary<string, string> Arguments)> Builds { get; } = [];

    public HashSet<string> LocalImages { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> RegistryDigests { get; } = new(StringComparer.Ordinal);

    public List<(string Reference, RegistryCredential Credential)> Pushes { get; } = [];

    public Exception? PushFailure { get; set; }

    public List<(IReadOnlyList<ImageReference> References, string Path)> Saves { get; } = [];

    public List<string> Removed { get; } = [];

    public bool Disposed { get; private set; }

    /// <summary>Set: the builder plays an engine that is not Docker's (Podman) and says so.</summary>
    public string? EngineNote { get; set; }

    public bool LegacySkipsUnusedStages { get; set; }

    public Task<BuildKitSupport> ProbeBuildKitAsync(CancellationToken cancellationToken) => Task.FromResult(new BuildKitSupport(HasBuildKit, EngineNote, LegacySkipsUnusedStages));

    public Task<string> BuildAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit, string? target, IBuildLog log, CancellationToken cancellationToken)
    {
        Builds.Add((target, buildKit, new Dictionary<string, string>(buildArguments.ToDictionary(a => a.Key, a => a.Value), StringComparer.Ordinal)));
        BuildOutput.ForEach(log.Detail);
        Exception? failure = target is null ? ImageBuildFailure : BuildFailures.GetValueOrDefault(target);
        if (failure is not null)
        {
            return Task.FromException<string>(failure);
        }

        string id = ImageIdFor(target);
        LocalImages.Add(id);
        return Task.FromResult(id);
    }

    public Task<bool> TagAsync(string imageId, ImageReference reference, CancellationToken cancellationToken)
    {
        bool changed = Tags.GetValueOrDefault(reference.ToString()) != imageId;
        Tags[reference.ToString()] = imageId;
        return Task.FromResult(changed);
    }

    public Task<string?> FindImageIdAsync(string nameOrId, CancellationToken cancellationToken) =>
        Task.FromResult(LocalImages.Contains(nameOrId) ? nameOrId : Tags.GetValueOrDefault(nameOrId));

    public Task<string?> FindRegistryDigestAsync(ImageReference reference, CancellationToken cancellationToken) =>
        Task.FromResult(RegistryDigests.GetValueOrDefault(reference.ToString()));

    public Task<string> PushAsync(ImageReference reference, RegistryCredential credential, IBuildLog log, CancellationToken cancellationToken)
    {
        Pushes.Add((reference.ToString(), credential));
        if (PushFailure is not null)
        {
            return Task.FromException<string>(PushFailure);
        }

        string digest = "sha256:pushed-" + Tags.GetValueOrDefault(reference.ToString(), "untagged");
        RegistryDigests[reference.ToString()] = digest;
        return Task.FromResult(digest);
    }

    public Task SaveAsync(IReadOnlyList<ImageReference> references, string path, CancellationToken cancellationToken)
    {
        Saves.Add((references, path));
        return Task.CompletedTask;
    }

    /// <summary>What <see cref="InventoryAsync"/> answers: one linux/amd64 inventory with no packages unless set.</summary>
    public IReadOnlyList<PyContainer.Sbom.ImageInventory> Inventories { get; set; } = [new(new PyContainer.Oci.Platform("amd64", "linux"), null, null, [], [])];

    public int InventoryCount { get; private set; }

    public Task<IReadOnlyList<PyContainer.Sbom.ImageInventory>> InventoryAsync(string imageId, string? baseImage, CancellationToken cancellationToken)
    {
        InventoryCount++;
        return Task.FromResult(Inventories);
    }

    public Task RemoveUntaggedImageAsync(string imageId, CancellationToken cancellationToken)
    {
        Removed.Add(imageId);
        LocalImages.Remove(imageId);
        return Task.CompletedTask;
    }

    public void Dispose() => Disposed = true;
}
