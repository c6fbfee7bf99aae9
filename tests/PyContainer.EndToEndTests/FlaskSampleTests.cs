using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>The samples/flask-hello project published once with `dotnet build -t:ContainerPublish`.</summary>
public sealed class PublishedFlaskSample : IAsyncLifetime
{
    public string Tag { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..10];

    public string Image => $"{TestEnvironment.Registry}/samples/flask-hello:{Tag}";

    public ProcessResult Publish { get; private set; } = new(-1, "");

    public async Task InitializeAsync()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        Publish = await sample.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + Tag);
    }

    public async Task DisposeAsync() => await ProcessRunner.DockerAsync("image", "rm", "-f", Image);
}

public sealed class FlaskSampleTests(PublishedFlaskSample sample) : IClassFixture<PublishedFlaskSample>
{
    [Fact]
    public void ContainerPublish_logs_each_build_step_and_the_push()
    {
        sample.Publish.ShouldSucceed("dotnet build -t:ContainerPublish");
        Assert.Contains("[builder", sample.Publish.Output, StringComparison.Ordinal);
        Assert.Contains("[runner", sample.Publish.Output, StringComparison.Ordinal);
        Assert.Contains($"Tagged {sample.Image}", sample.Publish.Output, StringComparison.Ordinal);
        Assert.Matches($@"Pushed {System.Text.RegularExpressions.Regex.Escape(sample.Image)} \(sha256:[0-9a-f]{{64}}\)", sample.Publish.Output);
    }

    [Fact]
    public async Task Image_pulled_back_from_the_registry_answers_HTTP()
    {
        sample.Publish.ShouldSucceed("dotnet build -t:ContainerPublish");

        // Drop the local copy so the container below can only come from the registry.
        (await ProcessRunner.DockerAsync("image", "rm", sample.Image)).ShouldSucceed("docker image rm");
        (await ProcessRunner.DockerAsync("pull", sample.Image)).ShouldSucceed("docker pull from the test registry");

        await using RunningContainer container = await RunningContainer.StartAsync(sample.Image);
        string body = await container.GetAsync("/");

        Assert.Equal("Hello from Flask, containerized by PyContainer!\n", body);
    }

    [Fact]
    public async Task Final_image_holds_no_compiler_wheel_pip_cache_or_venv_tooling()
    {
        sample.Publish.ShouldSucceed("dotnet build -t:ContainerPublish");
        (await ProcessRunner.DockerAsync("pull", sample.Image)).ShouldSucceed("docker pull");
        ImageInspector image = await ImageInspector.LoadAsync(sample.Image);
        int baseLayers = await ImageInspector.LayerCountAsync(TestEnvironment.BaseImage);
        var added = image.Layers.Skip(baseLayers).SelectMany(l => l.Paths).ToList();
        var all = image.Layers.SelectMany(l => l.Paths).ToList();

        Assert.NotEmpty(added);
        Assert.DoesNotContain(added, p => p.EndsWith(".whl", StringComparison.Ordinal));
        Assert.DoesNotContain(added, p => p.Contains("/.cache/pip", StringComparison.Ordinal));
        // BuildKit leaves the bind mount's target as an empty folder; nothing may be inside it.
        Assert.DoesNotContain(added, p => p.StartsWith("/wheels/", StringComparison.Ordinal) && p.Length > "/wheels/".Length);
        Assert.DoesNotContain(all, p => IsCompiler(p));
        // The venv holds the app's dependencies only: pip, setuptools and wheel stay out of it.
        Assert.Contains(added, p => p.Contains("/site-packages/flask/", StringComparison.Ordinal));
        Assert.DoesNotContain(added, p => p.Contains("/site-packages/pip/", StringComparison.Ordinal));
        Assert.DoesNotContain(added, p => p.Contains("/site-packages/wheel/", StringComparison.Ordinal));

        string user = image.Config.GetProperty("config").GetProperty("User").GetString() ?? "";
        Assert.NotEqual("", user);
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
    }

    private static bool IsCompiler(string path)
    {
        string name = path[(path.LastIndexOf('/') + 1)..];
        return path.StartsWith("/usr/bin/", StringComparison.Ordinal) && (name is "gcc" or "cc" or "g++" or "c++" or "cc1" || name.EndsWith("-gcc", StringComparison.Ordinal))
            || name is "cc1" or "cc1plus";
    }
}
