using PyContainer.Daemonless;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Images;
using PyContainer.Model;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Daemonless;

/// <summary>The daemonless builder's answers that need no registry: its store, the seam's flags, a push of nothing.</summary>
public sealed class DaemonlessImageBuilderTests : IDisposable
{
    private readonly TestProject _folder = new();
    private readonly RecordingLog _log = new();

    public void Dispose() => _folder.Dispose();

    private DaemonlessImageBuilder Builder() => new(
        new BuilderSettings("Daemonless", null, _folder.PathOf("obj/container")),
        DockerConfig.FromEnvironment(name => name == "DOCKER_CONFIG" ? _folder.PathOf("docker") : null),
        name => name == "PYCONTAINER_CACHE" ? _folder.PathOf("cache") : null,
        _log);

    [Fact]
    public async Task It_runs_no_Dockerfile_asks_for_no_BuildKit_and_says_where_its_store_is()
    {
        using DaemonlessImageBuilder builder = Builder();

        Assert.False(builder.RunsDockerfile);
        Assert.False((await builder.ProbeBuildKitAsync(CancellationToken.None)).Available);
        Assert.Equal(Path.Combine(_folder.PathOf("obj/container"), "image"), builder.Endpoint);
        Assert.Equal("ContainerBuildMode=Daemonless", builder.EndpointSource);
    }

    [Fact]
    public async Task An_image_it_never_built_is_not_found()
    {
        using DaemonlessImageBuilder builder = Builder();

        Assert.Null(await builder.FindImageIdAsync("sha256:" + new string('a', 64), CancellationToken.None));
    }

    [Fact]
    public async Task Pushing_an_image_the_store_does_not_hold_is_PYC3020()
    {
        using DaemonlessImageBuilder builder = Builder();
        ImageReference reference = ImageReference.Parse("localhost:5000/app:1.0", "test");

        var e = await Assert.ThrowsAsync<PyContainerException>(() =>
            builder.PushAsync(reference, new RegistryCredential("localhost:5000", "anonymous"), _log, CancellationToken.None));

        Assert.Equal(Errors.ImageNotInStore, e.Code);
        Assert.Contains("localhost:5000/app:1.0", e.Message, StringComparison.Ordinal);
    }
}
