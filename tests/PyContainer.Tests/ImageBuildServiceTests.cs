using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Images;
using PyContainer.Model;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>The build policy against a fake builder: incremental state, check stage first, tags, redaction.</summary>
public sealed class ImageBuildServiceTests : IDisposable
{
    private const string Secret = "s3cret-pw";

    private readonly TestProject _folder = new();
    private readonly FakeImageBuilder _builder = new();
    private readonly RecordingLog _log = new();
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly List<ImageReference> _references =
    [
        ImageReference.Parse("localhost:5000/app:1.0", "test"),
        ImageReference.Parse("localhost:5000/app:latest", "test"),
    ];

    public void Dispose() => _folder.Dispose();

    private string StateFile => _folder.PathOf("obj/state.json");

    private static BuildContext Context(string app = "print('hello')\n", bool check = true)
    {
        var context = new BuildContext();
        context.AddText("Dockerfile", "FROM python\n");
        context.AddText("app.py", app);
        if (check)
        {
            context.AddText(EntryPointCheck.ScriptContextPath, "import app\n");
        }

        return context;
    }

    private Task<string> BuildAsync(BuildContext? context = null, Dictionary<string, string>? arguments = null, bool buildKit = true) =>
        new ImageBuildService(_ => Task.FromResult<IImageBuilder>(_builder), _log, name => _environment.GetValueOrDefault(name))
            .BuildAndTagAsync(new ImageBuildRequest(context ?? Context(), _references, arguments ?? [], buildKit, StateFile), CancellationToken.None);

    [Fact]
    public async Task The_check_stage_is_built_first_and_removed_then_the_image_gets_every_tag()
    {
        string imageId = await BuildAsync();

        Assert.Equal("sha256:image", imageId);
        Assert.Equal([EntryPointCheck.StageName, null], _builder.Builds.Select(b => b.Target));
        Assert.Equal(["sha256:" + EntryPointCheck.StageName], _builder.Removed);
        Assert.Equal(new Dictionary<string, string> { ["localhost:5000/app:1.0"] = imageId, ["localhost:5000/app:latest"] = imageId }, _builder.Tags);
        Assert.Contains("  Tagged localhost:5000/app:latest", _log.Infos);
        Assert.True(_builder.Disposed);
    }

    [Fact]
    public async Task Up_to_date_inputs_skip_the_build()
    {
        await BuildAsync();
        _builder.Builds.Clear();

        string imageId = await BuildAsync();

        Assert.Equal("sha256:image", imageId);
        Assert.Empty(_builder.Builds);
        Assert.Contains(_log.Infos, l => l.StartsWith("localhost:5000/app:1.0 is up to date: no input changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_file_rebuilds()
    {
        await BuildAsync();
        _builder.Builds.Clear();

        await BuildAsync(Context("print('changed')\n"));

        Assert.Equal([EntryPointCheck.StageName, null], _builder.Builds.Select(b => b.Target));
    }

    [Fact]
    public async Task A_changed_build_argument_rebuilds()
    {
        await BuildAsync(arguments: new() { ["PIP_INDEX_URL"] = "http://127.0.0.1:5080/simple" });
        _builder.Builds.Clear();

        await BuildAsync(arguments: new() { ["PIP_INDEX_URL"] = "http://127.0.0.1:5081/simple" });

        Assert.Equal(2, _builder.Builds.Count);
    }

    [Fact]
    public async Task An_image_removed_from_the_builder_is_rebuilt()
    {
        await BuildAsync();
        _builder.LocalImages.Clear();
        _builder.Builds.Clear();

        await BuildAsync();

        Assert.Equal(2, _builder.Builds.Count);
    }

    [Fact]
    public async Task A_rebuild_to_the_same_image_keeps_its_push_records_and_a_new_image_drops_them()
    {
        await BuildAsync();
        BuildState state = BuildState.Load(StateFile)!;
        (state with { Pushed = [new PushedImage("localhost:5000/app:1.0", "sha256:digest")] }).Save(StateFile);

        await BuildAsync(Context("print('same image')\n"));
        Assert.Single(BuildState.Load(StateFile)!.Pushed);

        _builder.ImageIdFor = target => target is null ? "sha256:other" : "sha256:check";
        await BuildAsync(Context("print('other image')\n"));
        Assert.Equal(("sha256:other", 0), (BuildState.Load(StateFile)!.ImageId, BuildState.Load(StateFile)!.Pushed.Count));
    }

    [Fact]
    public async Task A_failed_build_tags_nothing_and_records_nothing()
    {
        _builder.ImageBuildFailure = Errors.Create(Errors.BuildStepFailed, "[builder 3/5] RUN pip wheel", "exit code: 1", "no matching distribution");

        await Assert.ThrowsAsync<PyContainerException>(() => BuildAsync());

        Assert.Empty(_builder.Tags);
        Assert.False(File.Exists(StateFile));
    }

    [Fact]
    public async Task A_failed_entry_point_check_builds_no_image_and_tags_nothing()
    {
        _builder.BuildFailures[EntryPointCheck.StageName] = Errors.Create(Errors.EntryPointCheckFailed, "PythonWsgiApp", "app:missing", "AttributeError");

        var e = await Assert.ThrowsAsync<PyContainerException>(() => BuildAsync());

        Assert.Equal(Errors.EntryPointCheckFailed, e.Code);
        Assert.Equal([EntryPointCheck.StageName], _builder.Builds.Select(b => b.Target));
        Assert.Empty(_builder.Tags);
    }

    [Fact]
    public async Task Without_BuildKit_in_the_builder_the_legacy_build_runs_with_a_PYC2006_warning_and_no_check_stage()
    {
        _builder.HasBuildKit = false;

        await BuildAsync();

        Assert.Equal([(null, false)], _builder.Builds.Select(b => (b.Target, b.BuildKit)));
        Assert.Equal([Errors.NoBuildKit], _log.Warnings.Select(w => w.Code));
    }

    [Fact]
    public async Task An_engine_that_says_it_is_Podman_builds_the_legacy_Dockerfile_with_its_note_and_no_warning()
    {
        _builder.HasBuildKit = false;
        _builder.EngineNote = "The engine at fake://builder is Podman 4.3.1: ...";
        _builder.LegacySkipsUnusedStages = true;

        await BuildAsync();

        // Buildah skips the unreferenced check stage as BuildKit does: it is built first, on its own.
        Assert.Equal([(EntryPointCheck.StageName, false), (null, false)], _builder.Builds.Select(b => (b.Target, b.BuildKit)));
        Assert.Empty(_log.Warnings);
        Assert.Single(_log.Infos, _builder.EngineNote);
    }

    [Fact]
    public async Task A_daemonless_builder_gets_no_check_stage_no_BuildKit_probe_and_no_warning()
    {
        _builder.RunsDockerfile = false;
        _builder.HasBuildKit = false;

        await BuildAsync();

        Assert.Equal([(null, false)], _builder.Builds.Select(b => (b.Target, b.BuildKit)));
        Assert.Empty(_log.Warnings);
        Assert.Contains(_log.Infos, l => l.StartsWith("Building localhost:5000/app:1.0 daemonless into fake://builder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContainerBuildKit_false_builds_legacy_without_a_warning()
    {
        await BuildAsync(buildKit: false);

        Assert.Equal([(null, false)], _builder.Builds.Select(b => (b.Target, b.BuildKit)));
        Assert.Empty(_log.Warnings);
    }

    [Fact]
    public async Task Index_credentials_reach_the_builder_but_no_log_line()
    {
        _environment["PIP_INDEX_URL"] = $"https://pip-user:{Secret}@index.example/simple";
        _builder.BuildOutput.Add($"Looking in indexes: https://pip-user:{Secret}@index.example/simple");

        await BuildAsync();

        Assert.All(_builder.Builds, b => Assert.Contains(Secret, b.Arguments["PIP_INDEX_URL"], StringComparison.Ordinal));
        Assert.Contains("Looking in indexes: https://***@index.example/simple", _log.Details);
        Assert.DoesNotContain(Secret, _log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_credentials_are_redacted_from_errors_which_keep_their_code()
    {
        _environment["PIP_INDEX_URL"] = "https://index.example/simple";
        _environment["PYCONTAINER_PIP_INDEX_USERNAME"] = "pip-user";
        _environment["PYCONTAINER_PIP_INDEX_PASSWORD"] = Secret;
        _builder.ImageBuildFailure = Errors.Create(Errors.BuildStepFailed, "[builder 3/5] RUN pip wheel", "exit code: 1", $"403 for https://pip-user:{Secret}@index.example/simple");

        var e = await Assert.ThrowsAsync<PyContainerException>(() => BuildAsync());

        Assert.Equal(Errors.BuildStepFailed, e.Code);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
        Assert.Contains("pip-user:***@index.example", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, _log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_without_an_index_fails_before_the_builder_is_connected()
    {
        _environment["PYCONTAINER_PIP_INDEX_PASSWORD"] = Secret;
        bool connected = false;
        var service = new ImageBuildService(_ => { connected = true; return Task.FromResult<IImageBuilder>(_builder); }, _log, name => _environment.GetValueOrDefault(name));

        var e = await Assert.ThrowsAsync<PyContainerException>(() => service.BuildAndTagAsync(new ImageBuildRequest(Context(), _references, new Dictionary<string, string>(), true, StateFile), CancellationToken.None));

        Assert.Equal(Errors.IndexPasswordWithoutIndex, e.Code);
        Assert.False(connected);
    }

    [Fact]
    public async Task A_tag_that_already_points_at_the_image_is_not_moved_again()
    {
        await BuildAsync();
        _log.Infos.Clear();

        await BuildAsync();

        Assert.DoesNotContain(_log.Infos, l => l.Contains("Tagged", StringComparison.Ordinal));
    }
}
