using System.Diagnostics;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// DOCKER_HOST=ssh://root@127.0.0.1:PORT against the sshd eng/test-env.sh runs: every Engine API connection is
/// `ssh ... docker system dial-stdio`, as the docker CLI makes it, with a key and known_hosts the test makes.
/// </summary>
public sealed class SshEngineTests
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Builds_and_pushes_flask_hello_over_ssh()
    {
        using SshAccess ssh = await SshAccess.CreateAsync();
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "ssh-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"{TestEnvironment.Registry}/samples/flask-hello:{tag}";
        try
        {
            ProcessResult result = await sample.BuildAsync("ContainerPublish", ssh.Environment(SshAccess.DockerHost), "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);

            result.ShouldSucceed("ContainerPublish over ssh://");
            Assert.Contains($"with the engine at {SshAccess.DockerHost} (from DOCKER_HOST)", result.Output, StringComparison.Ordinal);
            // BuildKit answered over ssh: no PYC2006 (the legacy builder's fallback warning).
            Assert.DoesNotContain("PYC2006", result.Output, StringComparison.Ordinal);
            Assert.Matches($@"Pushed {System.Text.RegularExpressions.Regex.Escape(image)} \(sha256:[0-9a-f]{{64}}\)", result.Output);
            Assert.True(await PlainRegistry.HasManifestAsync(TestEnvironment.Registry, "samples/flask-hello", tag), $"{image} is not in the registry");
            Assert.Equal("", await ssh.LeftoverSshProcessesAsync());
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task A_docker_context_whose_host_is_ssh_builds_through_it()
    {
        using SshAccess ssh = await SshAccess.CreateAsync();
        string config = Path.Combine(ssh.Directory, "docker-config");
        Directory.CreateDirectory(config);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["DOCKER_CONFIG"] = config, ["DOCKER_HOST"] = "" };
        (await ProcessRunner.RunAsync("docker", ["context", "create", "remote-ssh", "--docker", "host=" + SshAccess.DockerHost], environment: environment, timeout: TimeSpan.FromMinutes(1)))
            .ShouldSucceed("docker context create");
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "ssh-context-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> build = ssh.Environment("");
        build["DOCKER_CONFIG"] = config;
        build["DOCKER_CONTEXT"] = "remote-ssh";
        try
        {
            ProcessResult result = await sample.BuildAsync("ContainerBuild", build, "ContainerImageTag=" + tag);

            result.ShouldSucceed("ContainerBuild through a docker context with an ssh:// host");
            Assert.Contains($"with the engine at {SshAccess.DockerHost} (from the docker context 'remote-ssh')", result.Output, StringComparison.Ordinal);
            (await ProcessRunner.DockerAsync("image", "inspect", "samples/flask-hello:" + tag)).ShouldSucceed("docker image inspect");
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", "samples/flask-hello:" + tag);
        }
    }

    [Theory]
    [InlineData("unknown host key", "Host key verification failed")]
    [InlineData("key not authorized", "Permission denied")]
    public async Task Ssh_refusing_is_PYC3031_with_ssh_s_own_words_within_60_seconds(string refusal, string sshSays)
    {
        using SshAccess ssh = await SshAccess.CreateAsync(knownHost: refusal != "unknown host key");
        if (refusal == "key not authorized")
        {
            ssh.Unauthorize();
        }

        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "ssh-refused-" + Guid.NewGuid().ToString("N")[..8];

        var stopwatch = Stopwatch.StartNew();
        ProcessResult result = await sample.BuildAsync("ContainerBuild", ssh.Environment(SshAccess.DockerHost), "ContainerImageTag=" + tag)
            .WaitAsync(TimeSpan.FromMinutes(3));

        // The whole dotnet build (restore included), bounded only so that a prompt waiting for an answer fails the test.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"{stopwatch.Elapsed.TotalSeconds:0} s: did ssh wait for a prompt?\n{result.Output}");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3031"], BuildChecks.Errors(result));
        string error = BuildChecks.ErrorLine(result, "PYC3031");
        Assert.Contains(sshSays, error, StringComparison.Ordinal);
        Assert.Contains(SshAccess.DockerHost, error, StringComparison.Ordinal);
        Assert.Contains("BatchMode=yes", error, StringComparison.Ordinal);
        Assert.NotEqual(0, (await ProcessRunner.DockerAsync("image", "inspect", "samples/flask-hello:" + tag)).ExitCode);
    }

    [Fact]
    public async Task SIGINT_during_a_build_over_ssh_stops_the_engine_build_promptly()
    {
        using SshAccess ssh = await SshAccess.CreateAsync();
        using var index = new SilentServer();
        using var sample = SampleProject.CopyOf("flask-hello");

        // pip in the builder stage connects to this index, which never answers: the RUN step hangs.
        Task<ProcessResult> build = sample.BuildAsync(
            "ContainerBuild",
            ssh.Environment(SshAccess.DockerHost),
            "ContainerImageTag=ssh-cancel-" + Guid.NewGuid().ToString("N")[..8],
            $"PythonPackageIndexUrl=http://127.0.0.1:{index.Port}/simple/");
        await index.FirstConnection.WaitAsync(TimeSpan.FromMinutes(5));

        await CancellationTests.InterruptAsync(sample.ProjectFile);
        ProcessResult result = await build.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PYC3004", result.Output, StringComparison.Ordinal);
        // The engine, at the other end of ssh, stopped too: pip let go of its connection to the index.
        Assert.True(await index.AllClosedAsync(Promptly), "pip still holds its connection to the index: the engine kept building after ssh was killed.");
        Assert.Equal("", await ssh.LeftoverSshProcessesAsync());
    }
}
