using PyContainer.EndToEndTests.CorpusTests;
using PyContainer.EndToEndTests.Infrastructure;
using Xunit.Abstractions;
using static PyContainer.EndToEndTests.Infrastructure.BuildChecks;

namespace PyContainer.EndToEndTests;

/// <summary>
/// Podman for real: the rootful `podman system service` eng/test-env.sh starts (PYCONTAINER_PODMAN_ENDPOINT), with
/// Buildah behind its /build. Images are built and tagged in Podman's store, pushed by Podman to the test registry,
/// pulled back by the Docker test engine and run there.
/// </summary>
[Collection(SerialImageBuilds.Name)]
public sealed class PodmanTests(ITestOutputHelper output)
{
    private static string Endpoint => Environment.GetEnvironmentVariable("PYCONTAINER_PODMAN_ENDPOINT") is { Length: > 0 } endpoint
        ? endpoint
        : throw new InvalidOperationException("PYCONTAINER_PODMAN_ENDPOINT is not set: run eng/test-env.sh (it starts Podman's service) and source artifacts/test-env/env.sh.");

    [Fact]
    public async Task Flask_hello_through_ContainerEngineEndpoint_is_built_by_Buildah_tagged_pushed_and_answers_HTTP()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "podman-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"{TestEnvironment.Registry}/samples/flask-hello:{tag}";
        string[] properties = ["ContainerEngineEndpoint=" + Endpoint, "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag];
        try
        {
            ProcessResult publish = await sample.BuildAsync("ContainerPublish", properties);
            publish.ShouldSucceed("dotnet build -t:ContainerPublish through Podman\nDockerfile:\n" + sample.GeneratedDockerfile());
            output.WriteLine(publish.Output);
            Assert.Contains($"The engine at {Endpoint} is Podman ", publish.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("PYC2006", publish.Output, StringComparison.Ordinal);
            // Buildah skips the unreferenced check stage, so it is built on its own first (--target).
            Assert.Contains("Checked the entry point: the check stage took", publish.Output, StringComparison.Ordinal);
            // Buildah's steps, read as BuildKit's are: "[builder 6/6] RUN ...: 12.3s".
            Assert.Matches(@"\[builder \d+/\d+\] RUN .*: (CACHED|\d+\.\ds)", publish.Output);
            Assert.Matches(@"\[runner \d+/\d+\] COPY .*: (CACHED|\d+\.\ds)", publish.Output);
            Assert.Contains($"Tagged {image}", publish.Output, StringComparison.Ordinal);
            Assert.Matches($@"Pushed {System.Text.RegularExpressions.Regex.Escape(image)} \(sha256:[0-9a-f]{{64}}\)", publish.Output);
            Assert.Equal(0, (await PodmanAsync("image", "exists", image)).ExitCode);

            // The image id lookup through Podman: nothing changed, so nothing is built.
            ProcessResult again = await sample.BuildAsync("ContainerBuild", properties);
            again.ShouldSucceed("the second ContainerBuild through Podman");
            Assert.Contains("is up to date", again.Output, StringComparison.Ordinal);

            (await ProcessRunner.DockerAsync("pull", image)).ShouldSucceed("docker pull of the image Podman pushed");
            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Equal("Hello from Flask, containerized by PyContainer!\n", await container.GetAsync("/"));
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
            await PodmanAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task Httpbin_through_Podmans_socket_discovery_is_published_cold_and_warm_and_serves_its_pages()
    {
        using CorpusApp app = CorpusApp.Create("httpbin", output);
        using var run = new PrivateRun(Endpoint);
        app.Project.Launcher = run.Launcher;
        try
        {
            // No DOCKER_HOST, no docker context, and docker's socket hidden: only Podman's default rootful socket is left.
            var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = "", ["DOCKER_CONTEXT"] = "", ["DOCKER_CONFIG"] = run.EmptyDockerConfig };
            output.WriteLine("cold publish through Podman: " + CorpusApp.Seconds(await app.PublishAsync(environment)));
            // Built in Podman's store, not docker's: the discovery found Podman.
            Assert.Equal(0, (await PodmanAsync("image", "exists", app.Image)).ExitCode);
            await AssertNoImageAsync(app.Image);
            app.EditSource("httpbin/helpers.py");
            output.WriteLine("warm publish through Podman: " + CorpusApp.Seconds(await app.PublishAsync(environment)));
            await app.PullAsync();
            (RunningContainer container, TimeSpan first) = await app.StartAsync("/");
            await using (container)
            {
                output.WriteLine("first request: " + CorpusApp.Seconds(first));
                await HttpbinCorpusTests.AssertServesItsTemplatesAndImagesAsync(container);
            }
        }
        finally
        {
            await PodmanAsync("image", "rm", "-f", app.Image);
        }
    }

    [Fact]
    public async Task Flask_hello_through_rootless_Podman_found_by_XDG_RUNTIME_DIR_is_pushed_and_answers_HTTP()
    {
        string runtimeDirectory = Environment.GetEnvironmentVariable("PYCONTAINER_PODMAN_ROOTLESS_RUNTIME_DIR") is { Length: > 0 } dir
            ? dir
            : throw new InvalidOperationException("PYCONTAINER_PODMAN_ROOTLESS_RUNTIME_DIR is not set: run eng/test-env.sh and source artifacts/test-env/env.sh.");
        string endpoint = $"unix://{runtimeDirectory}/podman/podman.sock";
        using var sample = SampleProject.CopyOf("flask-hello");
        using var run = new PrivateRun(null);
        sample.Launcher = run.Launcher;
        string tag = "podman-rootless-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"{TestEnvironment.Registry}/samples/flask-hello:{tag}";
        try
        {
            var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = "", ["DOCKER_CONTEXT"] = "", ["DOCKER_CONFIG"] = run.EmptyDockerConfig, ["XDG_RUNTIME_DIR"] = runtimeDirectory };
            ProcessResult publish = await sample.BuildAsync("ContainerPublish", environment, "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);
            publish.ShouldSucceed("dotnet build -t:ContainerPublish through rootless Podman");
            Assert.Contains($"with the engine at {endpoint} (from Podman's socket (docker's is absent))", publish.Output, StringComparison.Ordinal);
            Assert.Contains($"The engine at {endpoint} is Podman ", publish.Output, StringComparison.Ordinal);
            Assert.Matches($@"Pushed {System.Text.RegularExpressions.Regex.Escape(image)} \(sha256:[0-9a-f]{{64}}\)", publish.Output);

            (await ProcessRunner.DockerAsync("pull", image)).ShouldSucceed("docker pull of the image rootless Podman pushed");
            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Equal("Hello from Flask, containerized by PyContainer!\n", await container.GetAsync("/"));
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
            await PodmanAsync("--remote", "--url", endpoint, "image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task A_failing_RUN_step_under_Podman_is_PYC3002_with_the_step_and_its_log_tail_and_no_tag()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        File.AppendAllText(Path.Combine(sample.Directory, "requirements.txt"), "no-such-package-pycontainer-test==1.0\n");
        string tag = "podman-failing-" + Guid.NewGuid().ToString("N")[..8];

        ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerEngineEndpoint=" + Endpoint, "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3002"], Errors(result));
        string error = ErrorLine(result, "PYC3002");
        Assert.Contains("[builder", error, StringComparison.Ordinal);
        Assert.Contains("pip", error, StringComparison.Ordinal);
        Assert.Contains("no-such-package-pycontainer-test", result.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, (await PodmanAsync("image", "exists", $"{TestEnvironment.Registry}/samples/flask-hello:{tag}")).ExitCode);
        await AssertNothingPublishedAsync(result, "samples/flask-hello", tag);
    }

    private static Task<ProcessResult> PodmanAsync(params string[] arguments) => ProcessRunner.RunAsync("podman", arguments, timeout: TimeSpan.FromMinutes(2));

    /// <summary>
    /// `dotnet build` in a mount namespace of its own whose /run is an empty tmpfs, so /var/run/docker.sock is absent,
    /// holding only /run/podman/podman.sock, a link to the rootful test Podman's socket (its folder bind-mounted
    /// first), when one is given.
    /// </summary>
    private sealed class PrivateRun : IDisposable
    {
        private const string Script = """
            if [ -n "$1" ]; then mount --bind "$1" "$2"; fi
            mount -t tmpfs -o size=1m,mode=755 tmpfs /run
            if [ -n "$1" ]; then mkdir /run/podman && ln -s "$2/$3" /run/podman/podman.sock; fi
            shift 3
            exec "$@"
            """;

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "pycontainer-e2e", "podman-run-" + Guid.NewGuid().ToString("N")[..8]);

        public PrivateRun(string? rootfulEndpoint)
        {
            string socket = rootfulEndpoint is null ? "" : rootfulEndpoint["unix://".Length..];
            Directory.CreateDirectory(Path.Combine(_folder, "socket"));
            Directory.CreateDirectory(EmptyDockerConfig);
            Launcher = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-ec", Script, "sh",
                rootfulEndpoint is null ? "" : Path.GetDirectoryName(socket)!, Path.Combine(_folder, "socket"), Path.GetFileName(socket)];
        }

        public IReadOnlyList<string> Launcher { get; }

        public string EmptyDockerConfig => Path.Combine(_folder, "docker-config");

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
