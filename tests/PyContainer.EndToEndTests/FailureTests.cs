using PyContainer.EndToEndTests.Infrastructure;
using static PyContainer.EndToEndTests.Infrastructure.BuildChecks;

namespace PyContainer.EndToEndTests;

/// <summary>Failures end as one coded MSBuild error, with nothing tagged or pushed and no file of the user's changed.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task A_failing_RUN_step_gives_one_error_with_the_step_and_its_log_tail_and_no_tag()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        File.AppendAllText(Path.Combine(sample.Directory, "requirements.txt"), "no-such-package-pycontainer-test==1.0\n");
        string tag = "failing-" + Guid.NewGuid().ToString("N")[..8];
        string before = HashOfUserFiles(sample.Directory);

        ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);

        Assert.NotEqual(0, result.ExitCode);
        var errors = Errors(result);
        Assert.Equal(["PYC3002"], errors);
        string error = ErrorLine(result, "PYC3002");
        Assert.Contains("[builder", error, StringComparison.Ordinal);
        Assert.Contains("pip wheel", error, StringComparison.Ordinal);
        Assert.Contains("no-such-package-pycontainer-test", result.Output, StringComparison.Ordinal);
        // PIP_PROGRESS_BAR=off: no redrawn download bars in the step log or its excerpt.
        Assert.DoesNotContain("━", result.Output, StringComparison.Ordinal);
        await AssertNothingPublishedAsync(result, "samples/flask-hello", tag);
        Assert.Equal(before, HashOfUserFiles(sample.Directory));
    }

    [Fact]
    public async Task A_daemonless_build_without_a_lock_is_PYC1052_naming_PythonLockFile_and_builds_nothing()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        File.Delete(Path.Combine(sample.Directory, "pylock.toml"));
        string tag = "no-lock-" + Guid.NewGuid().ToString("N")[..8];

        ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag, "ContainerBuildMode=Daemonless");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC1052"], Errors(result));
        Assert.Contains("PythonLockFile", ErrorLine(result, "PYC1052"), StringComparison.Ordinal);
        await AssertNothingPublishedAsync(result, "samples/flask-hello", tag);
    }

    [Theory]
    [InlineData("ContainerImageTag=Not:A:Tag", "PYC1016", "The image tag 'Not:A:Tag' from ContainerRepository/ContainerImageTags is not valid")]
    [InlineData("ContainerRepository=Upper/Case", "PYC1001", "is not a valid image reference for ContainerRepository")]
    [InlineData("ContainerBaseImage=python:3.11@sha256:123", "PYC1001", "'python:3.11@sha256:123' is not a valid image reference for ContainerBaseImage")]
    [InlineData("PythonInstallStrategy=conda", "PYC1020", "PythonInstallStrategy 'conda' is not known")]
    [InlineData("PythonWsgiApp=app", "PYC1015", "PythonWsgiApp 'app' is not valid: use 'module:callable'")]
    [InlineData("ContainerWorkingDirectory=relative/dir", "PYC1012", "ContainerWorkingDirectory 'relative/dir' is not valid")]
    [InlineData("ContainerRegistry=", "PYC1019", "ContainerPublish pushes to a registry, but ContainerRegistry is empty")]
    [InlineData("ContainerRegistry=http://localhost:5000", "PYC1035", "ContainerRegistry 'http://localhost:5000' is not valid: it is a URL")]
    [InlineData("ContainerEngineEndpoint=/var/run/docker.sock", "PYC3008", "The engine endpoint '/var/run/docker.sock' from the ContainerEngineEndpoint property is not valid")]
    public async Task Bad_input_gives_one_coded_error_naming_what_to_fix_and_builds_nothing(string property, string code, string excerpt)
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "bad-input-" + Guid.NewGuid().ToString("N")[..8];
        string before = HashOfUserFiles(sample.Directory);

        ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag, property);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal([code], Errors(result));
        Assert.DoesNotContain("Building ", result.Output.Replace("Done Building Project", "", StringComparison.Ordinal), StringComparison.Ordinal);
        string propertyName = property[..property.IndexOf('=', StringComparison.Ordinal)];
        string error = ErrorLine(result, code);
        Assert.Contains(propertyName, error, StringComparison.Ordinal);
        Assert.Contains(excerpt, error, StringComparison.Ordinal);
        await AssertNothingPublishedAsync(result, "samples/flask-hello", tag);
        Assert.Equal(before, HashOfUserFiles(sample.Directory));
    }

    [Fact]
    public async Task A_base_image_that_does_not_exist_gives_PYC3003_naming_it_and_no_tag()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string missing = "pycontainer-test/never-built-" + Guid.NewGuid().ToString("N")[..8] + ":1";
        string tag = "no-base-" + Guid.NewGuid().ToString("N")[..8];
        string before = HashOfUserFiles(sample.Directory);

        // The last -p wins: the sample's test base image is replaced by a name no engine or registry has.
        ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag, "ContainerBaseImage=" + missing);

        Assert.NotEqual(0, result.ExitCode);
        // PYC3003, not PYC3002: no step of the Dockerfile ran, the engine could not get what the build starts from.
        Assert.Equal(["PYC3003"], Errors(result));
        Assert.Contains("never-built-", ErrorLine(result, "PYC3003"), StringComparison.Ordinal);
        await AssertNothingPublishedAsync(result, "samples/flask-hello", tag);
        Assert.Equal(before, HashOfUserFiles(sample.Directory));
    }

    [Fact]
    public async Task A_build_step_that_fails_to_compile_gives_PYC3002_with_its_log_and_no_tag()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        // A tiny local distribution whose build (pip wheel of the project folder) fails, as a broken C extension would.
        File.WriteAllText(Path.Combine(sample.Directory, "setup.py"), "from setuptools import setup\nraise SystemExit('pycontainer-test: compiling the extension failed')\nsetup(name='broken')\n");
        string tag = "no-compile-" + Guid.NewGuid().ToString("N")[..8];
        string before = HashOfUserFiles(sample.Directory);

        ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag, "PythonProjectDirectory=.");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3002"], Errors(result));
        string error = ErrorLine(result, "PYC3002");
        Assert.Contains("[builder", error, StringComparison.Ordinal);
        Assert.Contains("pycontainer-test: compiling the extension failed", result.Output, StringComparison.Ordinal);
        await AssertNothingPublishedAsync(result, "samples/flask-hello", tag);
        Assert.Equal(before, HashOfUserFiles(sample.Directory));
    }

    [Fact]
    public async Task An_unreachable_engine_gives_a_coded_error_naming_DOCKER_HOST()
    {
        using var sample = SampleProject.CopyOf("flask-hello");

        ProcessResult result = await sample.BuildAsync("ContainerBuild", "ContainerEngineEndpoint=unix:///tmp/pycontainer-no-engine.sock");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3001"], Errors(result));
        Assert.Contains("DOCKER_HOST", result.Output, StringComparison.Ordinal);
        Assert.Contains("ContainerBuildMode=Daemonless", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Design_time_and_plain_builds_need_no_engine()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        var noEngine = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///tmp/pycontainer-no-engine.sock" };

        ProcessResult designTime = await sample.BuildAsync("Build", noEngine, "DesignTimeBuild=true");
        ProcessResult plain = await sample.BuildAsync("Build", noEngine);

        designTime.ShouldSucceed("design-time build with no engine");
        plain.ShouldSucceed("plain build with no engine");
        // The plain build still generated this project's Dockerfile (File.Exists of a path that GetFiles returned
        // could not fail: the content is what says it was generated).
        string dockerfile = sample.GeneratedDockerfile();
        Assert.StartsWith("# Generated by PyContainer ", dockerfile, StringComparison.Ordinal);
        Assert.Contains(" for project 'flask-hello'.", dockerfile.Split('\n')[0], StringComparison.Ordinal);
        Assert.EndsWith("FROM runner AS final\n", dockerfile, StringComparison.Ordinal);
    }
}
