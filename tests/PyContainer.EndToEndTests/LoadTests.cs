using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>Many builds at once and many builds in a row: every image right, nothing shared clobbered, nothing lost.</summary>
[Collection(SerialImageBuilds.Name)]
public sealed class LoadTests
{
    private const int ServiceCount = 6;

    [Fact]
    public async Task Six_services_built_in_parallel_each_answer_with_their_own_code()
    {
        string root = Path.Combine(Path.GetTempPath(), "pycontainer-e2e", "load-" + Guid.NewGuid().ToString("N")[..8]);
        string tag = "load-" + Guid.NewGuid().ToString("N")[..8];
        string[] services = Enumerable.Range(1, ServiceCount).Select(i => $"service{i}").ToArray();
        string[] images = services.Select(s => $"pycontainer-load/{s}:{tag}").ToArray();
        try
        {
            using SampleProject solution = CreateSolution(root, services);
            var contextFilesBefore = ContextTempFiles();

            ProcessResult build = await solution.BuildWithTimestampsAsync("ContainerBuild", "ContainerImageTag=" + tag);

            build.ShouldSucceed("dotnet build Load.sln -t:ContainerBuild");
            // In parallel: MSBuild's own timestamps put at least two services' ContainerBuild in progress at once.
            var windows = BuildWindows.Of(build, "ContainerBuild");
            Assert.Equal(ServiceCount, windows.Count);
            Assert.True(BuildWindows.MostAtOnce(windows.Values) >= 2, "the services were built one after another:\n" + BuildWindows.Describe(windows));
            foreach (string image in images)
            {
                // One summary line per project: no log line of a parallel build lost.
                Assert.Contains($"Building {image} ", build.Output, StringComparison.Ordinal);
                Assert.Contains($"Tagged {image}", build.Output, StringComparison.Ordinal);
            }

            Assert.Equal(ServiceCount, build.Output.Split('\n').Count(l => l.Contains("  Built sha256:", StringComparison.Ordinal)));
            Assert.Equal(contextFilesBefore, ContextTempFiles());
            for (int i = 0; i < ServiceCount; i++)
            {
                await using RunningContainer container = await RunningContainer.StartAsync(images[i]);
                Assert.Equal($"Hello from {services[i]}\n", await container.GetAsync("/"));
            }
        }
        finally
        {
            foreach (string image in images)
            {
                await ProcessRunner.DockerAsync("image", "rm", "-f", image);
            }
        }
    }

    [Fact]
    public async Task Twenty_consecutive_incremental_builds_rebuild_exactly_when_a_source_changed()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "consecutive-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"samples/flask-hello:{tag}";
        string appFile = Path.Combine(sample.Directory, "app.py");
        string? previousId = null;
        try
        {
            for (int run = 1; run <= 20; run++)
            {
                bool changed = run == 1 || run % 5 == 0;
                if (changed && run > 1)
                {
                    File.AppendAllText(appFile, $"\n# change {run}\n");
                }

                ProcessResult build = await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag);
                build.ShouldSucceed($"ContainerBuild run {run}");
                string id = (await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{.Id}}", image)).Output.Trim();

                Assert.True(changed == (id != previousId), $"run {run}: source changed {changed}, image id {previousId} -> {id}");
                Assert.Equal(!changed, build.Output.Contains("is up to date: no input changed", StringComparison.Ordinal));
                previousId = id;
            }
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    /// <summary>A solution of copies of samples/flask-hello, each answering with its own name.</summary>
    private static SampleProject CreateSolution(string root, IReadOnlyList<string> services)
    {
        string source = Path.Combine(TestEnvironment.RepoRoot, "samples", "flask-hello");
        foreach (string service in services)
        {
            string directory = Path.Combine(root, service);
            Directory.CreateDirectory(directory);
            File.Copy(Path.Combine(source, "requirements.txt"), Path.Combine(directory, "requirements.txt"));
            File.WriteAllText(Path.Combine(directory, "app.py"), $"from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get(\"/\")\ndef index():\n    return \"Hello from {service}\\n\"\n");
            string project = Path.Combine(directory, service + ".msbuildproj");
            File.WriteAllText(project, $"""
                <Project Sdk="PyContainer.Sdk/{TestEnvironment.SdkVersion}">
                  <PropertyGroup>
                    <ContainerRepository>pycontainer-load/{service}</ContainerRepository>
                  </PropertyGroup>
                </Project>
                """);
        }

        string solution = Path.Combine(root, "Load.sln");
        File.WriteAllText(solution, SolutionText(services));
        return SampleProject.At(root, solution);
    }

    /// <summary>A solution file listing the services as .msbuildproj projects (the type `dotnet sln add` gives them).</summary>
    private static string SolutionText(IReadOnlyList<string> services)
    {
        var guids = services.Select(_ => "{" + Guid.NewGuid().ToString().ToUpperInvariant() + "}").ToList();
        var text = new System.Text.StringBuilder("Microsoft Visual Studio Solution File, Format Version 12.00\n");
        for (int i = 0; i < services.Count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Project(\"{{13B669BE-BB05-4DDF-9536-439F39A36129}}\") = \"{services[i]}\", \"{services[i]}\\{services[i]}.msbuildproj\", \"{guids[i]}\"\nEndProject\n");
        }

        text.Append("Global\n\tGlobalSection(SolutionConfigurationPlatforms) = preSolution\n\t\tDebug|Any CPU = Debug|Any CPU\n\tEndGlobalSection\n");
        text.Append("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution\n");
        foreach (string guid in guids)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\t\t{guid}.Debug|Any CPU.ActiveCfg = Debug|Any CPU\n\t\t{guid}.Debug|Any CPU.Build.0 = Debug|Any CPU\n");
        }

        return text.Append("\tEndGlobalSection\nEndGlobal\n").ToString();
    }

    private static HashSet<string> ContextTempFiles() =>
        Directory.GetFiles(Path.GetTempPath(), "pycontainer-context-*").ToHashSet(StringComparer.Ordinal);
}
