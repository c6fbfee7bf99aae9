using System.Text.Json;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>Unchanged inputs skip the engine build and the push; a source change rebuilds only the app's layers.</summary>
public sealed class IncrementalBuildTests
{
    [Fact]
    public async Task Second_publish_without_changes_neither_builds_nor_pushes_and_a_source_change_rebuilds_only_app_layers()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "incremental-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"{TestEnvironment.Registry}/samples/flask-hello:{tag}";
        string[] properties = ["ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag];
        try
        {
            (await sample.BuildAsync("ContainerPublish", properties)).ShouldSucceed("first ContainerPublish");
            string firstId = await ImageIdAsync(image);
            IReadOnlyList<string> firstLayers = await LayersAsync(image);

            string since = await EngineTimeAsync();
            ProcessResult second = await sample.BuildAsync("ContainerPublish", properties);
            second.ShouldSucceed("second ContainerPublish");
            IReadOnlyList<string> events = await EngineEventsSinceAsync(since, image);

            Assert.Contains("is up to date: no input changed", second.Output, StringComparison.Ordinal);
            Assert.Contains("is up to date in the registry", second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain($"Building {image}", second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain($"Pushing {image}", second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(events, e => e.StartsWith("image push", StringComparison.Ordinal) || e.StartsWith("image tag", StringComparison.Ordinal));
            Assert.Equal(firstId, await ImageIdAsync(image));

            File.AppendAllText(Path.Combine(sample.Directory, "app.py"), "\n# touched by the incremental test\n");
            ProcessResult third = await sample.BuildAsync("ContainerPublish", properties);
            third.ShouldSucceed("ContainerPublish after a source change");
            IReadOnlyList<string> thirdLayers = await LayersAsync(image);

            Assert.Contains($"Pushing {image}", third.Output, StringComparison.Ordinal);
            Assert.NotEqual(firstId, await ImageIdAsync(image));
            Assert.Equal(firstLayers.Count, thirdLayers.Count);
            // The app's source layer and its bytecode layer are the last two; every layer below them is reused.
            Assert.Equal(firstLayers.Take(firstLayers.Count - 2), thirdLayers.Take(thirdLayers.Count - 2));
            Assert.NotEqual(firstLayers[^2], thirdLayers[^2]);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    /// <summary>
    /// samples/wheels-app is a pyproject.toml project with a static dependency (MarkupSafe): its dependencies are
    /// built and installed before the project's sources are copied, so a source change re-runs only the project's
    /// own install, the app's files and their bytecode. With BuildKit (wheels) and the legacy builder (venv).
    /// </summary>
    [Theory]
    [InlineData("wheels")]
    [InlineData("legacy", "ContainerBuildKit=false")]
    public async Task Source_change_in_a_project_with_static_dependencies_reuses_every_dependency_layer(string variant, params string[] extraProperties)
    {
        using var sample = SampleProject.CopyOf("wheels-app");
        string tag = $"deps-{variant}-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"samples/wheels-app:{tag}";
        string[] properties = ["ContainerImageTag=" + tag, .. extraProperties];
        try
        {
            (await sample.BuildAsync("ContainerBuild", properties)).ShouldSucceed("first ContainerBuild");
            IReadOnlyList<LayerStep> before = await LayerStepsAsync(image);
            await using (RunningContainer container = await RunningContainer.StartAsync(image))
            {
                // MarkupSafe escapes the requested path: the dependency is installed and the app uses it.
                Assert.EndsWith("You asked for /&lt;b&gt;\n", await container.GetAsync("/%3Cb%3E"), StringComparison.Ordinal);
            }

            File.AppendAllText(Path.Combine(sample.Directory, "src", "wheelsapp", "server.py"), "\n# touched by the incremental test\n");
            (await sample.BuildAsync("ContainerBuild", properties)).ShouldSucceed("ContainerBuild after a source change");
            IReadOnlyList<LayerStep> after = await LayerStepsAsync(image);

            // The last three layers are the project's own install, the app's other files and their bytecode. The
            // edited module is in the project's wheel only (not also in /app), so only the project's layer is new.
            string layers = "before:\n" + string.Join('\n', before) + "\nafter:\n" + string.Join('\n', after);
            int project = before.Count - 3;
            Assert.True(before.Count == after.Count, layers);
            Assert.True(after[project].CreatedBy.Contains("/project-wheel", StringComparison.Ordinal) || after[project].CreatedBy.Contains(" in /opt/venv/", StringComparison.Ordinal), layers);
            Assert.True(before[project - 1].CreatedBy.Contains("/opt/venv", StringComparison.Ordinal), "the dependencies' layer comes right before the project's\n" + layers);
            Assert.True(before.Take(project).SequenceEqual(after.Take(project)), "every layer below the project's is reused\n" + layers);
            Assert.True(before[project].DiffId != after[project].DiffId, "the project's layer is new\n" + layers);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    /// <summary>
    /// A setup.py project (tests/.../Apps/pex-twisted, Flask on Twisted, built with the wheels strategy and without a
    /// requirements file): only building it tells its dependencies. The builder wheels the project alone, then its
    /// dependencies, and keeps the two apart, so after a source edit the runner's dependency layer (about 48 MB of
    /// Flask and Twisted), which BuildKit keys on the mounted wheels, is reused and only the project's layer is new.
    /// The package is in the image once: in the venv, not again under /app.
    /// </summary>
    [Theory]
    [InlineData("wheels", "--find-links /wheels /wheels/*.whl", " /project-wheel/*.whl")]
    [InlineData("venv", "COPY /opt/venv /opt/venv", "COPY /opt/project/ /opt/venv/")]
    public async Task Source_change_in_a_setup_py_project_reuses_the_dependency_layer_and_the_package_is_in_the_image_once(string strategy, string dependencyStep, string projectStep)
    {
        using var sample = SampleProject.CopyOfTestApp("pex-twisted");
        File.Delete(Path.Combine(sample.Directory, "requirements.txt"));
        string tag = $"setup-py-{strategy}-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"pex-twisted:{tag}";
        string[] properties = ["ContainerImageTag=" + tag, "PythonInstallStrategy=" + strategy];
        try
        {
            (await sample.BuildAsync("ContainerBuild", properties)).ShouldSucceed("first ContainerBuild");
            IReadOnlyList<LayerStep> before = await LayerStepsAsync(image);
            ImageInspector inspector = await ImageInspector.LoadAsync(image);
            var paths = inspector.Layers.SelectMany(l => l.Paths).ToList();
            Assert.Contains(paths, p => p.EndsWith("/site-packages/msbdemo/wsgi.py", StringComparison.Ordinal));
            Assert.DoesNotContain(paths, p => p.StartsWith("/app/src/msbdemo/", StringComparison.Ordinal) || p.StartsWith("/app/msbdemo/", StringComparison.Ordinal));
            Assert.Contains("/app/setup.py", paths);
            await using (RunningContainer container = await RunningContainer.StartAsync(image))
            {
                Assert.Equal("pex-twisted answers\n", await container.GetAsync("/"));
            }

            File.AppendAllText(Path.Combine(sample.Directory, "src", "msbdemo", "wsgi.py"), "\n# touched by the incremental test\n");
            (await sample.BuildAsync("ContainerBuild", properties)).ShouldSucceed("ContainerBuild after a source change");
            IReadOnlyList<LayerStep> after = await LayerStepsAsync(image);

            string layers = "before:\n" + string.Join('\n', before) + "\nafter:\n" + string.Join('\n', after);
            int dependencies = before.ToList().FindIndex(l => l.CreatedBy.Contains(dependencyStep, StringComparison.Ordinal));
            int project = before.ToList().FindIndex(l => l.CreatedBy.Contains(projectStep, StringComparison.Ordinal));
            Assert.True(dependencies >= 0 && project == dependencies + 1 && before.Count == after.Count, layers);
            Assert.True(before.Take(project).SequenceEqual(after.Take(project)), "the dependency layer and every layer below it are reused\n" + layers);
            Assert.True(before[project].DiffId != after[project].DiffId, "the project's layer is new\n" + layers);
            ImageLayer reused = (await ImageInspector.LoadAsync(image)).Layers[dependencies];
            Assert.True(reused.Size > 10_000_000, $"the reused dependency layer holds Flask and Twisted ({reused.Size} bytes)");
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task Clean_removes_what_PyContainer_generated_and_the_next_build_runs_again()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "clean-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"samples/flask-hello:{tag}";
        try
        {
            (await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag)).ShouldSucceed("ContainerBuild");
            string obj = Path.Combine(sample.Directory, "obj");
            Assert.NotEmpty(Directory.GetFiles(obj, "container.state.json", SearchOption.AllDirectories));
            Assert.NotEmpty(Directory.GetFiles(obj, "Dockerfile", SearchOption.AllDirectories));

            (await sample.BuildAsync("Clean", "ContainerImageTag=" + tag)).ShouldSucceed("dotnet clean");

            Assert.Empty(Directory.GetFiles(obj, "container.state.json", SearchOption.AllDirectories));
            Assert.Empty(Directory.GetFiles(obj, "Dockerfile", SearchOption.AllDirectories));
            ProcessResult rebuild = await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag);
            rebuild.ShouldSucceed("ContainerBuild after clean");
            Assert.Contains($"Building {image}", rebuild.Output, StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    /// <summary>One layer of an image and the instruction that made it (the config's history without its empty layers).</summary>
    private sealed record LayerStep(string DiffId, string CreatedBy)
    {
        public override string ToString() => $"{DiffId[..19]} {CreatedBy}";
    }

    private static async Task<IReadOnlyList<LayerStep>> LayerStepsAsync(string image)
    {
        JsonElement config = (await ImageInspector.LoadAsync(image)).Config;
        var createdBy = config.GetProperty("history").EnumerateArray()
            .Where(h => !(h.TryGetProperty("empty_layer", out JsonElement empty) && empty.GetBoolean()))
            .Select(h => h.TryGetProperty("created_by", out JsonElement by) ? by.GetString() ?? "" : "")
            .ToList();
        var diffIds = config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Equal(diffIds.Count, createdBy.Count);
        return diffIds.Zip(createdBy, (d, c) => new LayerStep(d, c)).ToList();
    }

    private static async Task<string> ImageIdAsync(string image)
    {
        ProcessResult result = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{.Id}}", image);
        result.ShouldSucceed("docker image inspect");
        return result.Output.Trim();
    }

    private static async Task<IReadOnlyList<string>> LayersAsync(string image)
    {
        ProcessResult result = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{json .RootFS.Layers}}", image);
        result.ShouldSucceed("docker image inspect");
        return JsonSerializer.Deserialize<List<string>>(result.Output.Trim())!;
    }

    private static async Task<string> EngineTimeAsync()
    {
        ProcessResult result = await ProcessRunner.DockerAsync("info", "--format", "{{.SystemTime}}");
        result.ShouldSucceed("docker info");
        return result.Output.Trim();
    }

    /// <summary>
    /// The engine's own record of what happened to <paramref name="image"/>, as "type action" lines (e.g. "image push");
    /// other tests' images are filtered out, since they build on the same engine at the same time.
    /// </summary>
    private static async Task<IReadOnlyList<string>> EngineEventsSinceAsync(string since, string image)
    {
        string until = await EngineTimeAsync();
        ProcessResult result = await ProcessRunner.DockerAsync("events", "--since", since, "--until", until, "--filter", "image=" + image, "--format", "{{.Type}} {{.Action}}");
        result.ShouldSucceed("docker events");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
