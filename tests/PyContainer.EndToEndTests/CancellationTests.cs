using System.Diagnostics;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// Ctrl+C during ContainerBuild stops the engine's build within seconds and leaves no container behind, with
/// BuildKit and with the legacy builder (which runs each step in a container).
/// </summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task SIGINT_during_a_hanging_RUN_step_stops_the_build_and_the_engine_promptly(string buildKit)
    {
        using var index = new SilentServer();
        using var sample = SampleProject.CopyOf("flask-hello");
        HashSet<string> containersBefore = await ContainersAsync();

        // pip in the builder stage connects to this index, which never answers: the RUN step hangs.
        Task<ProcessResult> build = sample.BuildAsync(
            "ContainerBuild",
            "ContainerImageTag=cancel-" + Guid.NewGuid().ToString("N")[..8],
            $"PythonPackageIndexUrl=http://127.0.0.1:{index.Port}/simple/",
            "ContainerBuildKit=" + buildKit);
        await index.FirstConnection.WaitAsync(TimeSpan.FromMinutes(5));

        var stopwatch = Stopwatch.StartNew();
        await InterruptAsync(sample.ProjectFile);
        ProcessResult result = await build.WaitAsync(TimeSpan.FromMinutes(2));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < Promptly, $"dotnet build took {stopwatch.Elapsed.TotalSeconds:0.0} s to stop after SIGINT:\n{result.Output}");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PYC3004", result.Output, StringComparison.Ordinal);
        // The engine stopped too: pip, inside the build, let go of its connection to the index.
        Assert.True(await index.AllClosedAsync(Promptly), "pip still holds its connection to the index: the engine kept building.");
        Assert.Empty(await ContainersOfThisBuildAsync((await ContainersAsync()).Except(containersBefore), index.Port));
    }

    /// <summary>
    /// Other tests may start containers meanwhile: only those whose configuration names this test's index
    /// (the builder stage's PIP_INDEX_URL) can come from the cancelled build.
    /// </summary>
    private static async Task<List<string>> ContainersOfThisBuildAsync(IEnumerable<string> containers, int indexPort)
    {
        var ours = new List<string>();
        foreach (string container in containers)
        {
            ProcessResult inspect = await ProcessRunner.DockerAsync("container", "inspect", "--format", "{{json .Config}}", container);
            if (inspect.ExitCode == 0 && inspect.Output.Contains($"127.0.0.1:{indexPort}", StringComparison.Ordinal))
            {
                ours.Add(container);
            }
        }

        return ours;
    }

    /// <summary>Ctrl+C as a terminal sends it: SIGINT to the `dotnet build` of exactly this project.</summary>
    internal static async Task InterruptAsync(string projectFile)
    {
        ProcessResult find = await ProcessRunner.RunAsync("pgrep", ["-o", "-f", "build " + projectFile], timeout: TimeSpan.FromSeconds(10));
        find.ShouldSucceed("pgrep the dotnet build");
        (await ProcessRunner.RunAsync("/bin/kill", ["-INT", find.Output.Trim()], timeout: TimeSpan.FromSeconds(10))).ShouldSucceed("kill -INT");
    }

    private static async Task<HashSet<string>> ContainersAsync()
    {
        ProcessResult list = await ProcessRunner.DockerAsync("ps", "-a", "-q", "--no-trunc");
        list.ShouldSucceed("docker ps -a");
        return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }
}
