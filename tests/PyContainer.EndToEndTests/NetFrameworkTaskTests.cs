using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// The net472 task assembly, packed, run for real on a .NET Framework runtime (mono) against the real engine, as
/// Visual Studio's MSBuild would run it: each task is a ToolTask that runs tools/cli on .NET out of process and
/// hands back its log (codes and files kept), its outputs and its cancellation.
/// </summary>
public sealed class NetFrameworkTaskTests
{
    [Fact]
    public async Task The_net472_tasks_generate_the_context_and_build_an_image_that_runs()
    {
        using var host = new NetFrameworkHost();
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "netfx-" + Guid.NewGuid().ToString("N")[..8];

        ProcessResult generated = await host.RunAsync("GenerateContainerContext", ContextParameters(sample));
        generated.ShouldSucceed("GenerateContainerContext under mono");
        string manifest = NetFrameworkHost.Output(generated, "ContextManifest");
        Assert.True(File.Exists(manifest), generated.Output);
        Assert.Contains("8000/tcp", NetFrameworkHost.Output(generated, "ResolvedPorts"), StringComparison.Ordinal);

        ProcessResult built = await host.RunAsync("BuildContainerImage", BuildParameters(sample, manifest, NetFrameworkHost.Output(generated, "BuildArguments"), tag));
        try
        {
            built.ShouldSucceed("BuildContainerImage under mono");
            string image = NetFrameworkHost.Output(built, "Images").Split('|')[0];
            Assert.Equal($"netfx/flask-hello:{tag}", image);
            Assert.StartsWith("sha256:", NetFrameworkHost.Output(built, "ContainerImageId"), StringComparison.Ordinal);

            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Contains("Hello", await container.GetAsync("/"), StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("rmi", "-f", $"netfx/flask-hello:{tag}");
        }
    }

    [Fact]
    public async Task A_bad_input_is_the_cores_coded_error_at_the_users_project()
    {
        using var host = new NetFrameworkHost();
        using var sample = SampleProject.CopyOf("flask-hello");

        ProcessResult result = await host.RunAsync("GenerateContainerContext", [.. ContextParameters(sample), "ContainerPort=80000|Type=tcp"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{sample.ProjectFile}(0,0): error PYC1008: ", result.Output, StringComparison.Ordinal);
    }

    private static readonly TimeSpan WithinThirtySeconds = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Cancelling_the_task_stops_the_CLI_and_the_engines_build_within_30_s_of_the_cancel()
    {
        using var host = new NetFrameworkHost();
        using var sample = SampleProject.CopyOf("flask-hello");
        using var index = new SilentServer();
        string indexUrl = $"http://127.0.0.1:{index.Port}/simple/";
        ProcessResult generated = await host.RunAsync("GenerateContainerContext", [.. ContextParameters(sample, indexUrl)]);
        generated.ShouldSucceed("GenerateContainerContext under mono");
        string tag = "cancel-" + Guid.NewGuid().ToString("N")[..8];

        // pip in the builder stage connects to this index, which never answers: the build hangs until cancelled.
        using NetFrameworkHost.Running build = host.Start("BuildContainerImage", BuildParameters(
            sample, NetFrameworkHost.Output(generated, "ContextManifest"), NetFrameworkHost.Output(generated, "BuildArguments"), tag));
        await index.FirstConnection.WaitAsync(TimeSpan.FromMinutes(10)); // a hang guard, not part of the bound
        Assert.NotEmpty(host.LiveCliProcesses());
        // The bound in the name runs from the cancel (mono is slower than dotnet to wind down: 30 s, not 15 s).
        var sinceCancel = System.Diagnostics.Stopwatch.StartNew();
        await build.CancelAsync();
        ProcessResult result = await build.WaitAsync(TimeSpan.FromMinutes(2));
        TimeSpan taskStopped = sinceCancel.Elapsed;
        bool engineStopped = await index.AllClosedAsync(TimeSpan.FromTicks(Math.Max(0, (WithinThirtySeconds - sinceCancel.Elapsed).Ticks)));

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Output.Contains("error PYC3004: ", StringComparison.Ordinal), result.Output);
        // The CLI stopped on the task's request, as the build does in process: ToolTask had nothing left to kill.
        Assert.DoesNotContain("MSB5021", result.Output, StringComparison.Ordinal);
        Assert.Empty(host.LiveCliProcesses());
        Assert.True(taskStopped < WithinThirtySeconds, $"the task took {taskStopped.TotalSeconds:0.0} s to stop after the cancel:\n{result.Output}");
        Assert.True(engineStopped, $"{sinceCancel.Elapsed.TotalSeconds:0.0} s after the cancel pip still holds its connection to the index: the engine kept building.");
    }

    /// <summary>Values cross the response file and the log lines unchanged: separators, MSBuild escapes, any script.</summary>
    [Fact]
    public async Task Parameters_and_log_lines_carry_any_character()
    {
        using var host = new NetFrameworkHost();
        const string name = "Flåsk\\r;App %3B $(x) @(y) 'q' \"z\" \\t 日本";

        ProcessResult result = await host.RunAsync("ResolveContainerRepository", ["ProjectName=" + name, "ProjectFullPath=/src/app/app.msbuildproj"]);

        result.ShouldSucceed("ResolveContainerRepository under mono");
        Assert.Contains($"derived from the project name '{name}'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_dotnet_host_is_PYC3013()
    {
        using var host = new NetFrameworkHost();

        ProcessResult result = await host.RunAsync(
            "ResolveContainerRepository", ["ProjectName=app", "ProjectFullPath=/src/app/app.msbuildproj"],
            new Dictionary<string, string> { ["DOTNET_HOST_PATH"] = "/nonexistent/dotnet" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/src/app/app.msbuildproj(0,0): error PYC3013: ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_CLI_is_PYC3012()
    {
        using var host = new NetFrameworkHost();
        Directory.Delete(Path.GetDirectoryName(host.CliAssembly)!, recursive: true);

        ProcessResult result = await host.RunAsync("ResolveContainerRepository", ["ProjectName=app", "ProjectFullPath=/src/app/app.msbuildproj"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/src/app/app.msbuildproj(0,0): error PYC3012: ", result.Output, StringComparison.Ordinal);
    }

    /// <summary>What the targets pass GenerateContainerContext for the flask-hello sample.</summary>
    private static List<string> ContextParameters(SampleProject sample, string? indexUrl = null)
    {
        string indexOrTestIndex = indexUrl ?? TestEnvironment.PackageIndexUrl;
        var parameters = new List<string>
        {
            "ProjectDirectory=" + sample.Directory,
            "ProjectName=flask-hello",
            "ProjectFullPath=" + sample.ProjectFile,
            "ContainerIntermediateDirectory=" + Path.Combine(sample.Directory, "obj", "container") + "/",
            "EnableDefaultPythonContentItems=true",
            "DefaultPythonItemExcludes=obj/**",
            "PythonRequirementsFile=" + Path.Combine(sample.Directory, "requirements.txt"),
            "PythonWsgiApp=app:app",
            "ContainerBaseImage=" + TestEnvironment.BaseImage,
            "ContainerPort=8000|Type=tcp",
            // The constant defaults the targets' "PyContainer defaults" group passes.
            "ContainerBuildKit=true",
            "PythonInstallStrategy=wheels",
            "PythonWsgiServer=gunicorn",
            "PythonDjangoCollectStatic=false",
            "PythonEntryPointCheck=true",
            "ContainerUser=10001",
            "ContainerWorkingDirectory=/app",
            "ContainerBuildMode=Dockerfile",
        };
        if (indexOrTestIndex.Length > 0)
        {
            parameters.Add("PythonPackageIndexUrl=" + indexOrTestIndex);
        }

        return parameters;
    }

    private static List<string> BuildParameters(SampleProject sample, string manifest, string buildArguments, string tag) =>
    [
        "ContextManifest=" + manifest,
        "ContainerRepository=netfx/flask-hello",
        "ContainerImageTags=" + tag,
        "BuildArguments=" + buildArguments,
        "ContainerBuildKit=true",
        "ContainerBuildMode=Dockerfile",
        "ContainerIntermediateDirectory=" + Path.Combine(sample.Directory, "obj", "container"),
        "StateFile=" + Path.Combine(sample.Directory, "obj", "container", "build-state.json"),
        "ProjectFullPath=" + sample.ProjectFile,
    ];
}
