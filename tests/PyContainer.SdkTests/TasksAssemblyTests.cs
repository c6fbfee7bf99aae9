using Microsoft.Build.Evaluation;

namespace PyContainer.SdkTests;

/// <summary>
/// Which task assembly the targets load: tools/net472 in .NET Framework MSBuild (Visual Studio, Mono),
/// tools/net8.0 in .NET MSBuild (`dotnet build`), unless the project names one.
/// </summary>
public sealed class TasksAssemblyTests
{
    [Fact]
    public void Dotnet_build_loads_the_net8_task_assembly()
    {
        using var project = new TestProject(tasksAssembly: "");
        Project evaluated = project.Evaluate();

        Assert.Equal("Core", evaluated.GetPropertyValue("MSBuildRuntimeType"));
        Assert.EndsWith("/tools/net8.0/PyContainer.Tasks.dll", Normalized(evaluated.GetPropertyValue("PyContainerTasksAssembly")), StringComparison.Ordinal);
    }

    /// <summary>
    /// Visual Studio cannot run here, and MSBuildRuntimeType is reserved (no global property may set it), so
    /// these evaluate a copy of build/ in which only that name is replaced by one the test sets.
    /// </summary>
    [Theory]
    [InlineData("Full", "/tools/net472/PyContainer.Tasks.dll")]
    [InlineData("Mono", "/tools/net472/PyContainer.Tasks.dll")]
    [InlineData("Core", "/tools/net8.0/PyContainer.Tasks.dll")]
    public void The_msbuild_runtime_chooses_the_task_assembly(string runtimeType, string expectedSuffix)
    {
        using var project = new RuntimeTypeProject(runtimeType, tasksAssembly: null);
        Project evaluated = project.Evaluate();

        Assert.EndsWith(expectedSuffix, Normalized(evaluated.GetPropertyValue("PyContainerTasksAssembly")), StringComparison.Ordinal);
        Assert.All(PyContainerUsingTasks(evaluated), file => Assert.Equal(evaluated.GetPropertyValue("PyContainerTasksAssembly"), file));
    }

    [Theory]
    [InlineData("Full")]
    [InlineData("Core")]
    public void A_project_that_names_a_task_assembly_keeps_it(string runtimeType)
    {
        using var project = new RuntimeTypeProject(runtimeType, tasksAssembly: "/opt/custom/PyContainer.Tasks.dll");
        Project evaluated = project.Evaluate();

        Assert.Equal("/opt/custom/PyContainer.Tasks.dll", evaluated.GetPropertyValue("PyContainerTasksAssembly"));
        Assert.All(PyContainerUsingTasks(evaluated), file => Assert.Equal("/opt/custom/PyContainer.Tasks.dll", file));
    }

    /// <summary>The expanded AssemblyFile of every PyContainer UsingTask.</summary>
    private static List<string> PyContainerUsingTasks(Project evaluated)
    {
        var files = evaluated.Imports
            .SelectMany(i => i.ImportedProject.UsingTasks)
            .Where(u => u.TaskName.StartsWith("PyContainer.Tasks.", StringComparison.Ordinal))
            .Select(u => evaluated.ExpandString(u.AssemblyFile))
            .ToList();
        Assert.NotEmpty(files);
        return files;
    }

    /// <summary>The targets reach the tools folder through build/../tools: compare with forward slashes.</summary>
    private static string Normalized(string path) => path.Replace('\\', '/');

    /// <summary>A project importing a copy of sdk/PyContainer.Sdk/build in which $(MSBuildRuntimeType) reads a test property.</summary>
    private sealed class RuntimeTypeProject : IDisposable
    {
        private readonly ProjectCollection _collection = new();
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "pycontainer-sdktests", Guid.NewGuid().ToString("N")[..10]);
        private readonly string _path;

        public RuntimeTypeProject(string runtimeType, string? tasksAssembly)
        {
            string build = Path.Combine(_directory, "build");
            Directory.CreateDirectory(build);
            int replaced = 0;
            foreach (string file in Directory.EnumerateFiles(Path.Combine(TestProject.RepoRoot, "sdk", "PyContainer.Sdk", "build")))
            {
                string text = File.ReadAllText(file);
                replaced += text.Split("$(MSBuildRuntimeType)").Length - 1;
                File.WriteAllText(Path.Combine(build, Path.GetFileName(file)), text.Replace("$(MSBuildRuntimeType)", "$(_TestMSBuildRuntimeType)", StringComparison.Ordinal));
            }

            Assert.True(replaced > 0, "build/ no longer reads $(MSBuildRuntimeType)");
            File.WriteAllText(Path.Combine(_directory, "app.py"), "app = object()\n");
            _path = Path.Combine(_directory, "My.Service.msbuildproj");
            File.WriteAllText(_path, $"""
                <Project>
                  <PropertyGroup>
                    <_TestMSBuildRuntimeType>{runtimeType}</_TestMSBuildRuntimeType>
                    {(tasksAssembly is null ? "" : $"<PyContainerTasksAssembly>{tasksAssembly}</PyContainerTasksAssembly>")}
                  </PropertyGroup>
                  <Import Project="build/PyContainer.Sdk.props" />
                  <Import Project="build/PyContainer.Sdk.targets" />
                </Project>
                """);
        }

        public Project Evaluate() => new(_path, new Dictionary<string, string>(), null, _collection);

        public void Dispose()
        {
            _collection.UnloadAllProjects();
            _collection.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder must not fail the test.
            }
        }
    }
}
