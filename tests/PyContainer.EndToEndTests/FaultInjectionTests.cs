using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PyContainer.EndToEndTests.Infrastructure;
using static PyContainer.EndToEndTests.Infrastructure.BuildChecks;

namespace PyContainer.EndToEndTests;

/// <summary>
/// Faults between PyContainer, the engine and the registry, each ending as a coded MSBuild error and a failed build,
/// with nothing reported as pushed, no tag left behind and no file of the project changed. Network faults are injected
/// by <see cref="TcpFaultProxy"/>; the engine's own faults (killed mid-build, its disk full) by a
/// <see cref="PrivateEngine"/>, so the shared engine and its disk never suffer them.
/// </summary>
public sealed class FaultInjectionTests
{
    private const string DockerSocket = "/var/run/docker.sock";

    [Fact]
    public async Task Registry_down_fails_ContainerPublish_with_PYC4003_and_reports_nothing_pushed()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string registry = "localhost:" + FreePort(); // nothing listens there
        string tag = "down-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"{registry}/samples/flask-hello:{tag}";
        try
        {
            ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerRegistry=" + registry, "ContainerImageTag=" + tag);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Equal(["PYC4003"], Errors(result));
            Assert.Contains(registry, ErrorLine(result, "PYC4003"), StringComparison.Ordinal);
            AssertNothingPushed(sample, result);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task A_registry_that_cuts_the_connection_mid_push_is_retried_then_fails_with_PYC4002_and_nothing_pushed()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        WritePayload(sample); // a layer the registry has never seen, so the push must upload more than the cut allows
        string[] target = TestEnvironment.Registry.Split(':');
        await using var proxy = TcpFaultProxy.ForTcp(target[0] == "localhost" ? "127.0.0.1" : target[0], int.Parse(target[1], System.Globalization.CultureInfo.InvariantCulture), FaultMode.CutAfterBytes);
        proxy.CutAfterBytes = 256 * 1024;
        string registry = "localhost:" + proxy.Port;
        string repository = "pycontainer-fault/cut-" + Guid.NewGuid().ToString("N")[..8];
        string tag = "cut";
        try
        {
            ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerRegistry=" + registry, "ContainerRepository=" + repository, "ContainerImageTag=" + tag);

            Assert.NotEqual(0, result.ExitCode);
            Assert.True(proxy.Cuts > 0, "the proxy never cut a connection:\n" + result.Output);
            // PYC4002: the registry answered, then broke the connection; a later attempt that times out does not make it
            // "unreachable" (PYC4003), so the code does not depend on where the engine's own upload retries gave up.
            Assert.Equal(["PYC4002"], Errors(result));
            Assert.Contains(repository, ErrorLine(result, "PYC4002"), StringComparison.Ordinal);
            // At least one retry: whether the next failure still reads as transient depends on where the engine's own
            // upload retries gave up, so the number of attempts is not fixed.
            Assert.True(result.Output.Contains("retrying in", StringComparison.Ordinal), "no retry in:\n" + result.Output);
            AssertNothingPushed(sample, result);
            Assert.False(await PlainRegistry.HasManifestAsync(TestEnvironment.Registry, repository, tag), "a manifest reached the registry behind the proxy");
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", $"{registry}/{repository}:{tag}");
        }
    }

    [Fact]
    public async Task An_engine_connection_cut_mid_build_fails_with_PYC3003_and_no_tag()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        WritePayload(sample); // the build context upload is then larger than the cut
        await using var proxy = TcpFaultProxy.ForUnixSocket(DockerSocket, FaultMode.CutAfterBytes);
        proxy.CutAfterBytes = 256 * 1024;
        string tag = "engine-cut-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"samples/flask-hello:{tag}";
        try
        {
            ProcessResult result = await sample.BuildAsync("ContainerBuild", "ContainerEngineEndpoint=unix://" + proxy.SocketPath, "ContainerImageTag=" + tag);

            Assert.NotEqual(0, result.ExitCode);
            Assert.True(proxy.Cuts > 0, "the proxy never cut a connection:\n" + result.Output);
            Assert.True(Errors(result) is ["PYC3003"], "expected one PYC3003:\n" + result.Output);
            Assert.Contains("The image build failed: the connection to the engine at", ErrorLine(result, "PYC3003"), StringComparison.Ordinal);
            Assert.DoesNotContain("Built ", result.Output, StringComparison.Ordinal);
            await AssertNoImageAsync(image);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task A_slow_engine_connection_still_builds_correctly()
    {
        // The control case: the proxy itself is transparent, so the failures above come from the faults alone.
        using var sample = SampleProject.CopyOf("flask-hello");
        await using var proxy = TcpFaultProxy.ForUnixSocket(DockerSocket, FaultMode.Delay);
        proxy.Delay = TimeSpan.FromMilliseconds(20);
        string tag = "engine-slow-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            ProcessResult result = await sample.BuildAsync("ContainerBuild", "ContainerEngineEndpoint=unix://" + proxy.SocketPath, "ContainerImageTag=" + tag);

            result.ShouldSucceed("ContainerBuild through a slow proxy");
            Assert.True(proxy.Connections > 0);
            (await ProcessRunner.DockerAsync("image", "inspect", $"samples/flask-hello:{tag}")).ShouldSucceed("docker image inspect");
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", $"samples/flask-hello:{tag}");
        }
    }

    [Fact]
    public async Task An_engine_killed_mid_build_fails_with_PYC3003_and_no_tag()
    {
        using var index = new SilentServer();
        using var sample = SampleProject.CopyOf("flask-hello");
        await using PrivateEngine engine = await PrivateEngine.StartAsync();
        await engine.LoadImageAsync(TestEnvironment.BaseImage);
        List<string> tagsBefore = await engine.TagsAsync();
        string before = HashOfUserFiles(sample.Directory);

        // pip in the builder stage connects to this index, which never answers: when it does, the build is inside the
        // engine, at a RUN step, and that is when the engine dies.
        Task<ProcessResult> build = BuildInAsync(engine, sample, "engine-killed", $"PythonPackageIndexUrl=http://127.0.0.1:{index.Port}/simple/");
        Task first = await Task.WhenAny(build, index.FirstConnection.WaitAsync(TimeSpan.FromMinutes(10)));
        if (first == build)
        {
            Assert.Fail("the build ended before its RUN step reached the index:\n" + (await build).Output);
        }

        await first; // a timeout throws here
        engine.Kill();
        ProcessResult result = await build.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(Errors(result) is ["PYC3003"], "expected one PYC3003:\n" + result.Output);
        Assert.Contains(engine.Endpoint, ErrorLine(result, "PYC3003"), StringComparison.Ordinal);
        Assert.Contains("The image build failed: the connection to the engine at", ErrorLine(result, "PYC3003"), StringComparison.Ordinal);
        Assert.DoesNotContain("Built ", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, HashOfUserFiles(sample.Directory));
        // What the engine kept on disk, once it runs again: no new tag.
        await engine.RestartAsync();
        Assert.Equal(tagsBefore, await engine.TagsAsync());
    }

    [Fact]
    public async Task A_build_step_that_fills_the_engines_disk_fails_with_PYC3002_naming_no_space_and_no_tag()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        // pip runs setup.py in the builder stage; it writes until the disk is full, as a runaway build step or a huge
        // wheel would. The engine's data root is a 1 GiB file system, about 750 MB free once the base image is in.
        File.WriteAllText(Path.Combine(sample.Directory, "setup.py"), """
            from setuptools import setup
            with open('/tmp/fill', 'wb') as fill:
                while True:
                    fill.write(bytes(1 << 20))
            setup(name='fill')
            """);
        await using PrivateEngine engine = await PrivateEngine.StartAsync(dataRootSize: 1L << 30);
        await engine.LoadImageAsync(TestEnvironment.BaseImage);
        List<string> tagsBefore = await engine.TagsAsync();
        string before = HashOfUserFiles(sample.Directory);

        ProcessResult result = await BuildInAsync(engine, sample, "disk-full", "PythonProjectDirectory=.");

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(Errors(result) is ["PYC3002"], "expected one PYC3002:\n" + result.Output);
        Assert.Contains("[builder", ErrorLine(result, "PYC3002"), StringComparison.Ordinal);
        Assert.True(
            result.Output.Split('\n').Any(l => l.Contains("error PYC3002", StringComparison.Ordinal) && l.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)),
            "the PYC3002 message does not say that the disk is full:\n" + result.Output);
        Assert.DoesNotContain("Built ", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, HashOfUserFiles(sample.Directory));
        Assert.Equal(tagsBefore, await engine.TagsAsync());
    }

    /// <summary>No "Pushed" line and no pushed record in the incremental state (what GeneratedContainer is made from).</summary>
    private static void AssertNothingPushed(SampleProject sample, ProcessResult result)
    {
        Assert.DoesNotContain("  Pushed ", result.Output, StringComparison.Ordinal);
        foreach (string state in Directory.GetFiles(Path.Combine(sample.Directory, "obj"), "container.state.json", SearchOption.AllDirectories))
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(state));
            foreach (JsonProperty property in document.RootElement.EnumerateObject().Where(p => p.Name.Equals("pushed", StringComparison.OrdinalIgnoreCase)))
            {
                Assert.Equal(0, property.Value.GetArrayLength());
            }
        }
    }

    /// <summary>
    /// ContainerBuild of <paramref name="sample"/> in <paramref name="engine"/>, which has the base image only: it builds
    /// the builder stage from it too.
    /// </summary>
    private static Task<ProcessResult> BuildInAsync(PrivateEngine engine, SampleProject sample, string tagPrefix, params string[] properties) =>
        sample.BuildAsync(
            "ContainerBuild",
            [
                "ContainerEngineEndpoint=" + engine.Endpoint,
                "ContainerBuilderImage=" + TestEnvironment.BaseImage,
                "ContainerImageTag=" + tagPrefix + "-" + Guid.NewGuid().ToString("N")[..8],
                .. properties,
            ]);

    /// <summary>About 1 MiB of random source: a new layer, and a build context larger than the proxies' cut.</summary>
    private static void WritePayload(SampleProject sample) =>
        File.WriteAllText(Path.Combine(sample.Directory, "payload.py"), $"DATA = \"{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(512 * 1024))}\"\n");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
