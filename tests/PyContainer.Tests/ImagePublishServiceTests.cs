using PyContainer.Diagnostics;
using PyContainer.Images;
using PyContainer.Model;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>The publish policy against a fake builder: skip-if-pushed, push records, credentials, save.</summary>
public sealed class ImagePublishServiceTests : IDisposable
{
    private const string ImageId = "sha256:image";

    private readonly TestProject _folder = new();
    private readonly FakeImageBuilder _builder = new();
    private readonly RecordingLog _log = new();
    private readonly List<string?> _credentialRequests = [];
    private readonly List<BuiltImage> _images =
    [
        new(ImageReference.Parse("localhost:5000/app:1.0", "test"), ImageId),
        new(ImageReference.Parse("localhost:5000/app:latest", "test"), ImageId),
    ];

    public ImagePublishServiceTests()
    {
        _images.ForEach(i => _builder.Tags[i.Reference.ToString()] = i.ImageId);
    }

    public void Dispose() => _folder.Dispose();

    private string StateFile => _folder.PathOf("obj/state.json");

    private ImagePublishService Service() => new(_builder, _log, registry =>
    {
        _credentialRequests.Add(registry);
        return new RegistryCredential(registry ?? "docker.io", "the test's credentials", "user", "password");
    });

    private Task<IReadOnlyList<PublishedImage>> PushAsync() => Service().PushAsync(_images, StateFile, CancellationToken.None);

    private void StateAfterBuild() => new BuildState("sha256:inputs", ImageId, []).Save(StateFile);

    [Fact]
    public async Task Every_reference_is_pushed_with_its_registry_credentials_and_recorded()
    {
        StateAfterBuild();

        IReadOnlyList<PublishedImage> published = await PushAsync();

        Assert.Equal(["localhost:5000/app:1.0", "localhost:5000/app:latest"], _builder.Pushes.Select(p => p.Reference));
        Assert.Equal(["localhost:5000", "localhost:5000"], _credentialRequests);
        Assert.All(published, p => Assert.Equal(("sha256:pushed-" + ImageId, ImageId), (p.ManifestDigest, p.ImageId)));
        Assert.Contains("Pushing localhost:5000/app:1.0 (credentials: the test's credentials)", _log.Infos);
        Assert.Equal(published.Select(p => (p.Reference.ToString(), p.ManifestDigest)), BuildState.Load(StateFile)!.Pushed.Select(p => (p.Reference, p.ManifestDigest)));
    }

    [Fact]
    public async Task An_image_the_registry_still_serves_at_the_recorded_digest_is_not_pushed_again()
    {
        StateAfterBuild();
        await PushAsync();
        _builder.Pushes.Clear();
        _credentialRequests.Clear();

        IReadOnlyList<PublishedImage> published = await PushAsync();

        Assert.Empty(_builder.Pushes);
        Assert.Empty(_credentialRequests);
        Assert.All(published, p => Assert.Equal("sha256:pushed-" + ImageId, p.ManifestDigest));
        Assert.Contains($"localhost:5000/app:1.0 is up to date in the registry (sha256:pushed-{ImageId}): no push.", _log.Infos);
    }

    [Fact]
    public async Task A_tag_moved_in_the_registry_is_pushed_again()
    {
        StateAfterBuild();
        await PushAsync();
        _builder.Pushes.Clear();
        _builder.RegistryDigests["localhost:5000/app:latest"] = "sha256:someone-else";

        await PushAsync();

        Assert.Equal(["localhost:5000/app:latest"], _builder.Pushes.Select(p => p.Reference));
    }

    [Fact]
    public async Task A_new_image_is_pushed_even_when_the_registry_has_the_old_digest()
    {
        StateAfterBuild();
        await PushAsync();
        _builder.Pushes.Clear();
        new BuildState("sha256:new-inputs", "sha256:new-image", []).Save(StateFile);

        await PushAsync();

        Assert.Equal(2, _builder.Pushes.Count);
    }

    [Fact]
    public async Task Without_a_state_file_every_reference_is_pushed_and_nothing_is_recorded()
    {
        await PushAsync();
        await PushAsync();

        Assert.Equal(4, _builder.Pushes.Count);
        Assert.False(File.Exists(StateFile));
    }

    [Fact]
    public async Task A_failed_push_records_nothing_and_keeps_its_code()
    {
        StateAfterBuild();
        _builder.PushFailure = Errors.Create(Errors.PushUnauthorized, "localhost:5000", "localhost:5000/app:1.0", "unauthorized: authentication required");

        var e = await Assert.ThrowsAsync<PyContainerException>(PushAsync);

        Assert.Equal(Errors.PushUnauthorized, e.Code);
        Assert.Empty(BuildState.Load(StateFile)!.Pushed);
    }

    [Theory]
    [InlineData("out/", "out/team-app.tar")]
    [InlineData("out/image.tar", "out/image.tar")]
    public async Task Save_writes_every_reference_to_one_archive(string configured, string expected)
    {
        string path = await new ImagePublishService(_builder, _log).SaveAsync(_images.Select(i => i.Reference).ToList(), configured, "team/app", CancellationToken.None);

        Assert.Equal(expected, path);
        (IReadOnlyList<ImageReference> references, string savedTo) = Assert.Single(_builder.Saves);
        Assert.Equal((2, expected), (references.Count, savedTo));
        Assert.Contains($"Saving localhost:5000/app:1.0, localhost:5000/app:latest to {expected}", _log.Infos);
    }

    [Fact]
    public void An_existing_folder_gets_REPOSITORY_tar()
    {
        Assert.Equal(Path.Combine(_folder.Directory, "app.tar"), ImagePublishService.ArchivePath(_folder.Directory, "app"));
    }
}
