using System.Diagnostics;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// Ctrl+C during ContainerBuild stops the engine's build within seconds and leaves no container behind, with
/// BuildKit and with the legacy builder (which runs each step in a container).
/// </summary>
public sealed class CancellationTests
{
    /// <summary>
    /// The bound in the test's name, from the moment SIGINT was sent (not from the test's start, nor from when
    /// `dotnet build` exited): a hang, not a speed, is what exceeds it, even on a loaded 2-core machine.
    /// </summary>
    private static readonly TimeSpan WithinFifteenSeconds = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task SIGINT_during_a_hanging_RUN_step_stops_the_build_and_the_engine_within_15_s_of_the_signal(string buildKit)
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
        // A hang guard only (the build reaching its RUN step on a busy machine), not part of the bound.
        await index.FirstConnection.WaitAsync(TimeSpan.FromMinutes(10));

        Stopwatch sinceSignal = await InterruptAsync(sample.ProjectFile);
        ProcessResult result = await build.WaitAsync(TimeSpan.FromMinutes(2));
        TimeSpan buildStopped = sinceSignal.Elapsed;
        // The engine stopped too: pip, inside the build, let go of its connection to the index, within the same bound.
        bool engineStopped = await index.AllClosedAsync(TimeSpan.FromTicks(Math.Max(0, (WithinFifteenSeconds - sinceSignal.Elapsed).Ticks)));
        TimeSpan engineStoppedAfter = sinceSignal.Elapsed;

        Assert.True(buildStopped < WithinFifteenSeconds, $"dotnet build took {buildStopped.TotalSeconds:0.0} s to stop after SIGINT:\n{result.Output}");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PYC3004", result.Output, StringComparison.Ordinal);
        Assert.True(engineStopped, $"{engineStoppedAfter.TotalSeconds:0.0} s after SIGINT pip still holds its connection to the index: the engine kept building.");
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

    /// <summary>
    /// Ctrl+C as a terminal sends it: SIGINT to the `dotnet build` of exactly this project. Returns a stopwatch started
    /// just before `kill` ran (finding the process does not count towards the bound; starting `kill` does, which only
    /// makes the bound stricter).
    /// </summary>
    internal static async Task<Stopwatch> InterruptAsync(string projectFile)
    {
        ProcessResult find = await ProcessRunner.RunAsync("pgrep", ["-o", "-f", "build " + projectFile], timeout: TimeSpan.FromSeconds(30));
        find.ShouldSucceed("pgrep the dotnet build");
        var sinceSignal = Stopwatch.StartNew();
        (await ProcessRunner.RunAsync("/bin/kill", ["-INT", find.Output.Trim()], timeout: TimeSpan.FromSeconds(30))).ShouldSucceed("kill -INT");
        return sinceSignal;
    }

    private static async Task<HashSet<string>> ContainersAsync()
    {
        ProcessResult list = await ProcessRunner.DockerAsync("ps", "-a", "-q", "--no-trunc");
        list.ShouldSucceed("docker ps -a");
        return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }
}
