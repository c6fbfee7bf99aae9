using System.Globalization;
using PyContainer.EndToEndTests.Apps;
using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests;

/// <summary>Apps/flask-gunicorn built three ways, concurrently: wheels (default), venv, and wheels with the legacy builder.</summary>
public sealed class StrategyImages : IAsyncLifetime
{
    public BuiltApp Wheels { get; private set; } = null!;

    public BuiltApp Venv { get; private set; } = null!;

    public BuiltApp Legacy { get; private set; } = null!;

    public BuiltApp this[string variant] => variant switch
    {
        "wheels" => Wheels,
        "venv" => Venv,
        "legacy" => Legacy,
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    public async Task InitializeAsync()
    {
        Task<BuiltApp> wheels = BuiltApp.BuildAsync("flask-gunicorn", "wheels");
        Task<BuiltApp> venv = BuiltApp.BuildAsync("flask-gunicorn", "venv", "PythonInstallStrategy=venv");
        Task<BuiltApp> legacy = BuiltApp.BuildAsync("flask-gunicorn", "legacy", "ContainerBuildKit=false");
        await Task.WhenAll(wheels, venv, legacy);
        (Wheels, Venv, Legacy) = (await wheels, await venv, await legacy);
    }

    public async Task DisposeAsync() =>
        await Task.WhenAll(new[] { Wheels, Venv, Legacy }.Where(a => a is not null).Select(a => a.RemoveImageAsync()));
}

[Collection(SerialImageBuilds.Name)]
public sealed class StrategyTests(StrategyImages images, ITestOutputHelper output) : IClassFixture<StrategyImages>
{
    private const string Answer = "flask-gunicorn answers\n";

    [Fact]
    public async Task Venv_strategy_copies_the_builders_venv_and_answers()
    {
        BuiltApp app = Built("venv");
        Assert.Contains("COPY --from=builder [\"/opt/venv\", \"/opt/venv\"]", app.Dockerfile, StringComparison.Ordinal);

        await using RunningContainer container = await RunningContainer.StartAsync(app.Image);
        Assert.Equal(Answer, await container.GetAsync("/"));
        IReadOnlyList<string> added = await AddedPathsAsync(app.Image);
        Assert.Contains(added, p => p.StartsWith("/opt/venv/lib/", StringComparison.Ordinal) && p.Contains("/site-packages/flask/", StringComparison.Ordinal));
        Assert.DoesNotContain(added, p => p.EndsWith(".whl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Legacy_builder_builds_answers_and_leaves_no_wheel_in_any_layer()
    {
        BuiltApp app = Built("legacy");
        // The wheels strategy needs RUN --mount; without BuildKit the build falls back to venv and says so.
        Assert.Contains("warning PYC2002", app.Build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--mount", app.Dockerfile, StringComparison.Ordinal);

        await using RunningContainer container = await RunningContainer.StartAsync(app.Image);
        Assert.Equal(Answer, await container.GetAsync("/"));
        IReadOnlyList<string> added = await AddedPathsAsync(app.Image);
        Assert.Contains(added, p => p.StartsWith("/opt/venv/lib/", StringComparison.Ordinal) && p.Contains("/site-packages/flask/", StringComparison.Ordinal));
        Assert.DoesNotContain(added, p => p.EndsWith(".whl", StringComparison.Ordinal));
        Assert.DoesNotContain(added, p => p.StartsWith("/wheels/", StringComparison.Ordinal) && p.Length > "/wheels/".Length);
    }

    /// <summary>
    /// The final image adds nothing but the installed dependencies and the app: no wheels, caches or build tools.
    /// The 1 MB (10^6 bytes) covers directory entries and metadata that du and the layer sizes count differently.
    /// </summary>
    [Theory]
    [InlineData("wheels")]
    [InlineData("venv")]
    [InlineData("legacy")]
    public async Task Final_image_is_no_bigger_than_base_plus_installed_dependencies_plus_app(string variant)
    {
        BuiltApp app = Built(variant);
        long baseSize = await ImageSizeAsync(TestEnvironment.BaseImage);
        long imageSize = await ImageSizeAsync(app.Image);
        ProcessResult du = await ProcessRunner.DockerAsync("run", "--rm", "--network", "none", "--entrypoint", "du", app.Image, "-sb", "/opt/venv", "/app");
        du.ShouldSucceed("du inside " + app.Image);
        Dictionary<string, long> sizes = du.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(parts => parts[1].Trim(), parts => long.Parse(parts[0], CultureInfo.InvariantCulture));
        long bound = baseSize + sizes["/opt/venv"] + sizes["/app"] + 1_000_000;

        output.WriteLine($"strategy {variant} ({app.Image}):");
        output.WriteLine($"  base image {TestEnvironment.BaseImage}: {baseSize:N0} bytes");
        output.WriteLine($"  final image:                {imageSize:N0} bytes (base + {imageSize - baseSize:N0})");
        output.WriteLine($"  du -sb /opt/venv:           {sizes["/opt/venv"]:N0} bytes");
        output.WriteLine($"  du -sb /app:                {sizes["/app"]:N0} bytes");
        output.WriteLine($"  bound (base + venv + app + 1 MB): {bound:N0} bytes; headroom {bound - imageSize:N0} bytes");
        Assert.True(imageSize <= bound, $"The {variant} image is {imageSize:N0} bytes, over the bound of {bound:N0} bytes by {imageSize - bound:N0}.");
    }

    private BuiltApp Built(string variant)
    {
        BuiltApp app = images[variant];
        output.WriteLine($"{app.Image}: dotnet build -t:ContainerBuild exited {app.Build.ExitCode} after {app.Duration.TotalSeconds:F1} s");
        app.ShouldHaveBuilt();
        return app;
    }

    /// <summary>
    /// Every path in the layers the build put on top of the base image (a file deleted later still counts). The
    /// base's own layers are left out: Debian ships ensurepip's wheels in /usr/share/python-wheels.
    /// </summary>
    private static async Task<IReadOnlyList<string>> AddedPathsAsync(string image)
    {
        ImageInspector inspector = await ImageInspector.LoadAsync(image);
        int baseLayers = await ImageInspector.LayerCountAsync(TestEnvironment.BaseImage);
        return inspector.Layers.Skip(baseLayers).SelectMany(l => l.Paths).ToList();
    }

    private static async Task<long> ImageSizeAsync(string image)
    {
        ProcessResult result = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{.Size}}", image);
        result.ShouldSucceed("docker image inspect " + image);
        return long.Parse(result.Output.Trim(), CultureInfo.InvariantCulture);
    }
}
