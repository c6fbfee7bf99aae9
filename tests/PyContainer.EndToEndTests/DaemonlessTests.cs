using System.Text.Json;
using PyContainer.EndToEndTests.CorpusTests;
using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests;

/// <summary>
/// ContainerBuildMode=Daemonless as a user runs it: `dotnet build -t:ContainerPublish` with DOCKER_HOST at a socket
/// that does not exist, so no engine can take part; the base image comes from the plain registry, the wheels from
/// the offline index. Only afterwards does the test engine pull the pushed image and run it.
/// </summary>
[Collection(SerialImageBuilds.Name)]
public sealed class DaemonlessTests(ITestOutputHelper output)
{
    private const string NoEngine = "unix:///tmp/pycontainer-no-engine.sock";

    [Fact]
    public async Task Flask_hello_built_with_no_engine_answers_and_has_the_Dockerfile_modes_config()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        string image = $"{TestEnvironment.Registry}/daemonless/flask-hello:{tag}";

        // A title of its own makes both images unlike any other test's: a test that removes its own image of the
        // same content would otherwise delete this one while the engine tags it.
        string title = "ContainerTitle=flask-hello-" + tag;
        ProcessResult published = await PublishAsync(sample, "daemonless/flask-hello", tag, null, title);
        published.ShouldSucceed("daemonless ContainerPublish of flask-hello with no engine");
        Assert.Contains("daemonless", published.Output, StringComparison.Ordinal);

        (await ProcessRunner.DockerAsync("pull", image)).ShouldSucceed("docker pull " + image);
        try
        {
            await using (RunningContainer container = await RunningContainer.StartAsync(image))
            {
                Assert.Equal("Hello from Flask, containerized by PyContainer!\n", await container.GetAsync("/"));
            }

            // The Dockerfile mode's image of the same project, for its config.
            string dockerfileImage = $"{TestEnvironment.Registry}/daemonless/flask-hello-dockerfile:{tag}";
            (await sample.BuildAsync("ContainerBuild", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerRepository=daemonless/flask-hello-dockerfile", "ContainerImageTag=" + tag, title))
                .ShouldSucceed("Dockerfile-mode ContainerBuild of flask-hello");
            ImageInspector daemonless = await ImageInspector.LoadAsync(image);
            ImageInspector dockerfile = await ImageInspector.LoadAsync(dockerfileImage);
            foreach (string field in new[] { "Cmd", "Entrypoint", "User", "WorkingDir", "ExposedPorts", "Labels", "Healthcheck" })
            {
                Assert.Equal(Field(dockerfile.Config, field), Field(daemonless.Config, field));
            }

            Assert.Equal(EnvironmentOf(dockerfile.Config), EnvironmentOf(daemonless.Config));
            // No wheel, no pip cache, no bytecode: the layers above the base hold the environment and the app only.
            IEnumerable<string> added = daemonless.Layers.Skip(daemonless.Layers.Count - 3).SelectMany(l => l.Paths);
            Assert.DoesNotContain(added, p => p.EndsWith(".whl", StringComparison.Ordinal) || p.Contains("/.cache/pip", StringComparison.Ordinal) || p.EndsWith(".pyc", StringComparison.Ordinal));
            Assert.Contains(added, p => p.StartsWith("/opt/venv/lib/python3.11/site-packages/flask/", StringComparison.Ordinal));
            Assert.Contains("/app/app.py", added);
            await ProcessRunner.DockerAsync("image", "rm", "-f", dockerfileImage);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task Httpbin_built_with_no_engine_serves_as_its_Dockerfile_mode_image_does_native_brotli_included()
    {
        using CorpusApp app = CorpusApp.Create("httpbin", output);
        TimeSpan cold = await app.PublishAsync(NoEngineEnvironment(), DaemonlessProperties());
        app.Figure("daemonless cold publish", CorpusApp.Seconds(cold));
        app.EditSource("httpbin/helpers.py");
        app.Figure("daemonless warm publish after a source edit", CorpusApp.Seconds(await app.PublishAsync(NoEngineEnvironment(), DaemonlessProperties())));
        await app.PullAsync();
        (RunningContainer container, TimeSpan first) = await app.StartAsync("/");
        await using (container)
        {
            app.Figure("daemonless first request after docker run (no bytecode)", CorpusApp.Seconds(first));
            await HttpbinCorpusTests.AssertServesItsTemplatesAndImagesAsync(container);
            // /brotli compresses with the native brotli module: the linux_x86_64 wheel went into its own layer and loads.
            byte[] compressed = await CorpusApp.GetOkAsync(container, "/brotli", "application/json");
            Assert.NotEmpty(compressed);
        }
    }

    [Fact]
    public async Task Two_cold_builds_in_fresh_folders_give_the_same_digest_and_a_source_edit_keeps_the_dependency_layers()
    {
        string tag = NewTag();
        var digests = new List<string>();
        var manifests = new List<JsonElement>();
        foreach (string run in new[] { "a", "b" })
        {
            // A fresh project copy (obj), NuGet cache and download cache each time: nothing of the first build helps the second.
            using var sample = SampleProject.CopyOf("flask-hello");
            string caches = Path.Combine(sample.Directory, "..", "caches-" + Guid.NewGuid().ToString("N")[..8]);
            var environment = NoEngineEnvironment();
            environment["NUGET_PACKAGES"] = Path.Combine(caches, "nuget");
            environment["PYCONTAINER_CACHE"] = Path.Combine(caches, "pycontainer");
            try
            {
                (await PublishAsync(sample, "daemonless/reproducible", tag + run, environment)).ShouldSucceed($"cold daemonless publish {run}");
                (string digest, JsonElement manifest) = await PlainRegistry.ManifestAsync(TestEnvironment.Registry, "daemonless/reproducible", tag + run);
                digests.Add(digest);
                manifests.Add(manifest);
                output.WriteLine($"cold build {run}: {digest}");

                if (run == "b")
                {
                    File.AppendAllText(Path.Combine(sample.Directory, "app.py"), "\n# edited\n");
                    ProcessResult warm = await PublishAsync(sample, "daemonless/reproducible", tag + "edited", environment);
                    warm.ShouldSucceed("daemonless publish after a source edit");
                    (_, JsonElement edited) = await PlainRegistry.ManifestAsync(TestEnvironment.Registry, "daemonless/reproducible", tag + "edited");
                    // Every layer but the app's (the last) is the same blob: only the app layer was built and pushed again.
                    Assert.Equal(LayerDigests(manifest).SkipLast(1), LayerDigests(edited).SkipLast(1));
                    Assert.NotEqual(LayerDigests(manifest).Last(), LayerDigests(edited).Last());

                    ProcessResult noOp = await PublishAsync(sample, "daemonless/reproducible", tag + "edited", environment);
                    noOp.ShouldSucceed("a second daemonless publish with nothing changed");
                    Assert.Contains("is up to date: no input changed", noOp.Output, StringComparison.Ordinal);
                    Assert.Contains("is up to date in the registry", noOp.Output, StringComparison.Ordinal);
                }
            }
            finally
            {
                Directory.Delete(caches, recursive: true);
            }
        }

        Assert.Equal(digests[0], digests[1]);
    }

    [Fact]
    public async Task With_no_engine_ContainerArchiveOutputPath_writes_a_tarball_docker_load_restores_and_it_runs()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        string image = "samples/flask-hello:" + tag;

        ProcessResult published = await sample.BuildAsync("ContainerPublish", NoEngineEnvironment(), [
            .. DaemonlessProperties(), "ContainerImageTag=" + tag, "ContainerArchiveOutputPath=out/flask-hello.tar"]);
        try
        {
            published.ShouldSucceed("daemonless ContainerPublish to an archive with no engine");
            Assert.Contains("No engine answered", published.Output, StringComparison.Ordinal);
            ProcessResult load = await ProcessRunner.DockerAsync("load", "-i", Path.Combine(sample.Directory, "out", "flask-hello.tar"));
            load.ShouldSucceed("docker load of the daemonless archive");
            Assert.Contains("Loaded image: " + image, load.Output, StringComparison.Ordinal);
            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Equal("Hello from Flask, containerized by PyContainer!\n", await container.GetAsync("/"));
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task ContainerBuild_without_a_registry_loads_the_image_into_the_engine_that_answers()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        string image = "samples/flask-hello:" + tag;

        // The engine of the test environment answers: the image goes into it, as `docker build` would have put it.
        ProcessResult built = await sample.BuildAsync("ContainerBuild", [.. DaemonlessProperties(), "ContainerImageTag=" + tag]);
        try
        {
            built.ShouldSucceed("daemonless ContainerBuild with an engine at hand");
            Assert.Contains($"Loaded {image} into the engine", built.Output, StringComparison.Ordinal);
            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Equal("Hello from Flask, containerized by PyContainer!\n", await container.GetAsync("/"));
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    private static Task<ProcessResult> PublishAsync(SampleProject sample, string repository, string tag, IDictionary<string, string>? environment = null, params string[] properties) =>
        sample.BuildAsync("ContainerPublish", environment ?? NoEngineEnvironment(), [
            .. DaemonlessProperties(), "ContainerRegistry=" + TestEnvironment.Registry, "ContainerRepository=" + repository, "ContainerImageTag=" + tag, .. properties]);

    private static Dictionary<string, string> NoEngineEnvironment() => new(StringComparer.Ordinal) { ["DOCKER_HOST"] = NoEngine };

    private static string[] DaemonlessProperties() => ["ContainerBuildMode=Daemonless", "ContainerBaseImage=" + TestEnvironment.RegistryBaseImage];

    private static string NewTag() => "e2e-" + Guid.NewGuid().ToString("N")[..10];

    private static string Field(JsonElement config, string name) =>
        config.GetProperty("config").TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : "(unset)";

    /// <summary>The config's environment as a sorted list (the order of ENV lines is the Dockerfile's, not the config's meaning).</summary>
    private static List<string> EnvironmentOf(JsonElement config) =>
        config.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();

    private static List<string> LayerDigests(JsonElement manifest) =>
        manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
}
