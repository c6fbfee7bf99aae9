using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace PyContainer.SdkTests;

/// <summary>
/// A project in a temporary folder that imports the SDK's build/ props and targets from this repository,
/// as a PackageReference to PyContainer.Sdk would, and uses the task assembly built from this repository.
/// </summary>
internal sealed class TestProject : IDisposable
{
    internal static readonly string RepoRoot = FindRepoRoot();

    private readonly ProjectCollection _collection = new();

    /// <param name="tasksAssembly">
    /// The PyContainerTasksAssembly the project sets: the one built from this repository by default, none (so the
    /// targets choose) when empty.
    /// </param>
    /// <param name="projectFileName">The project file's name, which gives the default ContainerRepository.</param>
    public TestProject(string properties = "", string items = "", IDictionary<string, string>? files = null, string? tasksAssembly = null, string projectFileName = "My.Service.msbuildproj")
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pycontainer-sdktests", Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
        foreach ((string path, string content) in files ?? new Dictionary<string, string> { ["app.py"] = "app = object()\n" })
        {
            string full = System.IO.Path.Combine(Directory, path);
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        string build = System.IO.Path.Combine(RepoRoot, "sdk", "PyContainer.Sdk", "build");
        Path = System.IO.Path.Combine(Directory, projectFileName);
        File.WriteAllText(Path, $"""
            <Project>
              <PropertyGroup>
                <PyContainerTasksAssembly>{tasksAssembly ?? TasksAssembly()}</PyContainerTasksAssembly>
                <IntermediateOutputPath>obj/</IntermediateOutputPath>
                {properties}
              </PropertyGroup>
              <Import Project="{build}/PyContainer.Sdk.props" />
              <ItemGroup>{items}</ItemGroup>
              <Import Project="{build}/PyContainer.Sdk.targets" />
            </Project>
            """);
    }

    public string Directory { get; }

    public string Path { get; }

    /// <summary>The warnings and coded messages of the last <see cref="Build"/>.</summary>
    public IReadOnlyList<BuildWarningEventArgs> Warnings { get; private set; } = [];

    public IReadOnlyList<BuildMessageEventArgs> CodedMessages { get; private set; } = [];

    /// <summary>A fresh evaluation (the collection holds one project per path, so an earlier one is unloaded).</summary>
    public Project Evaluate()
    {
        _collection.UnloadAllProjects();
        return new(Path, new Dictionary<string, string>(), null, _collection);
    }

    /// <summary>Runs <paramref name="targets"/> in-process and returns the result with every error logged.</summary>
    public (bool Success, IReadOnlyList<BuildErrorEventArgs> Errors, ProjectInstance Instance) Build(params string[] targets)
    {
        var logger = new ErrorLogger();
        ProjectInstance instance = Evaluate().CreateProjectInstance();
        bool success = instance.Build(targets, [logger]);
        Warnings = logger.Warnings;
        CodedMessages = logger.CodedMessages;
        return (success, logger.Errors, instance);
    }

    public void Dispose()
    {
        _collection.UnloadAllProjects();
        _collection.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test.
        }
    }

    private static string TasksAssembly()
    {
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        string path = System.IO.Path.Combine(RepoRoot, "src", "PyContainer.Tasks", "bin", configuration, "net8.0", "PyContainer.Tasks.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/PyContainer.Tasks first.", path);
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "PyContainer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PyContainer.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class ErrorLogger : ILogger
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];

        public List<BuildWarningEventArgs> Warnings { get; } = [];

        public List<BuildMessageEventArgs> CodedMessages { get; } = [];

        public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Quiet;

        public string? Parameters { get; set; }

        public void Initialize(IEventSource eventSource)
        {
            eventSource.ErrorRaised += (_, e) => Errors.Add(e);
            eventSource.WarningRaised += (_, e) => Warnings.Add(e);
            eventSource.MessageRaised += (_, e) =>
            {
                if (!string.IsNullOrEmpty(e.Code))
                {
                    CodedMessages.Add(e);
                }
            };
        }

        public void Shutdown()
        {
        }
    }
}
