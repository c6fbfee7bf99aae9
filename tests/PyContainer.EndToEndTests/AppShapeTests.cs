using System.Text.Json;
using PyContainer.EndToEndTests.Apps;
using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests;

/// <summary>
/// The app-shape and strategy classes run alone, after the parallel classes: every build tags an image, and
/// IncrementalBuildTests asserts that the engine saw no "image tag" event while it published.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialImageBuilds
{
    public const string Name = "Serial image builds";
}

/// <summary>Every app under Apps/ (but the strategy one) built once, concurrently, with `dotnet build -t:ContainerBuild`.</summary>
public sealed class AppShapeImages : IAsyncLifetime
{
    private static readonly string[] Shapes = ["flask-waitress", "flask-twisted", "fastapi", "django", "script", "module", "pex-twisted"];

    private readonly Dictionary<string, BuiltApp> apps = [];

    public BuiltApp this[string name] => apps[name];

    public async Task InitializeAsync()
    {
        // Two or three builds at a time keep a small machine busy without starving the engine.
        using var gate = new SemaphoreSlim(3);
        BuiltApp[] built = await Task.WhenAll(Shapes.Select(async shape =>
        {
            await gate.WaitAsync();
            try
            {
                return await BuiltApp.BuildAsync(shape, "shape");
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (BuiltApp app in built)
        {
            apps[app.Name] = app;
        }
    }

    public async Task DisposeAsync() => await Task.WhenAll(apps.Values.Select(a => a.RemoveImageAsync()));
}

[Collection(SerialImageBuilds.Name)]
public sealed class AppShapeTests(AppShapeImages images, ITestOutputHelper output) : IClassFixture<AppShapeImages>
{
    [Theory]
    [InlineData("flask-waitress", "Serving on http://0.0.0.0:{0}")]
    [InlineData("flask-twisted", "Site starting on {0}")]
    public async Task Flask_served_by_another_WSGI_server_answers_on_PORT(string appName, string serverLogLine)
    {
        BuiltApp app = Built(appName);

        await using RunningContainer container = await RunningContainer.StartAsync(app.Image);
        Assert.Equal(appName + " answers\n", await container.GetAsync("/"));
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, serverLogLine, container.Port), await container.LogAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FastAPI_served_by_uvicorn_answers_JSON_on_PORT()
    {
        BuiltApp app = Built("fastapi");

        await using RunningContainer container = await RunningContainer.StartAsync(app.Image);
        using JsonDocument body = JsonDocument.Parse(await container.GetAsync("/"));
        Assert.Equal("fastapi", body.RootElement.GetProperty("shape").GetString());
        Assert.Equal("uvicorn", body.RootElement.GetProperty("server").GetString());
        Assert.Contains($"Uvicorn running on http://0.0.0.0:{container.Port}", await container.LogAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Django_detected_from_manage_py_migrates_at_start_and_answers()
    {
        BuiltApp app = Built("django");
        JsonElement config = await ConfigAsync(app.Image);
        Assert.Contains("DJANGO_SETTINGS_MODULE=mysite.settings", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));

        await using RunningContainer container = await RunningContainer.StartAsync(app.Image);
        // The view writes a row: it only answers if the table exists, i.e. the migrations ran before the server.
        Assert.Equal("django answers, notes=1\n", await container.GetAsync("/"));
        string log = await container.LogAsync();
        Assert.Contains("Applying notes.0001_initial... OK", log, StringComparison.Ordinal);
        Assert.Contains($"Listening at: http://0.0.0.0:{container.Port}", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_without_requirements_answers_on_PORT()
    {
        BuiltApp app = Built("script");
        // Nothing to install: the Dockerfile has no builder stage at all.
        Assert.DoesNotContain(" AS builder", app.Dockerfile, StringComparison.Ordinal);

        await using RunningContainer container = await RunningContainer.StartAsync(app.Image);
        Assert.Equal("script answers\n", await container.GetAsync("/"));
    }

    [Fact]
    public async Task Module_run_with_python_m_answers_on_PORT()
    {
        BuiltApp app = Built("module");

        await using RunningContainer container = await RunningContainer.StartAsync(app.Image);
        Assert.Equal("module answers\n", await container.GetAsync("/"));
    }

    [Fact]
    public async Task Flask_on_Twisted_in_a_single_pex_holds_only_the_pex_and_answers()
    {
        BuiltApp app = Built("pex-twisted");

        ImageInspector image = await ImageInspector.LoadAsync(app.Image);
        int baseLayers = await ImageInspector.LayerCountAsync(TestEnvironment.BaseImage);
        var added = image.Layers.Skip(baseLayers).SelectMany(l => l.Paths).ToList();
        var all = image.Layers.SelectMany(l => l.Paths).ToList();
        Assert.Equal(["/opt/app.pex"], added.Where(p => p.EndsWith(".pex", StringComparison.Ordinal)));
        Assert.DoesNotContain(all, p => p.StartsWith("/opt/venv", StringComparison.Ordinal));
        // WORKDIR leaves /app itself; nothing of the sources may be inside it.
        Assert.DoesNotContain(added, p => p.StartsWith("/app/", StringComparison.Ordinal) && p.Length > "/app/".Length);

        await using RunningContainer container = await RunningContainer.StartAsync(app.Image);
        Assert.Equal("pex-twisted answers\n", await container.GetAsync("/"));
    }

    /// <summary>The built app, its build time on the test output, and a clear failure if it did not build.</summary>
    private BuiltApp Built(string name)
    {
        BuiltApp app = images[name];
        output.WriteLine($"{app.Image}: dotnet build -t:ContainerBuild exited {app.Build.ExitCode} after {app.Duration.TotalSeconds:F1} s");
        app.ShouldHaveBuilt();
        return app;
    }

    private static async Task<JsonElement> ConfigAsync(string image)
    {
        ProcessResult result = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{json .Config}}", image);
        result.ShouldSucceed("docker image inspect " + image);
        using JsonDocument document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }
}
