namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// A copy of a sample in a temporary folder, consuming the packed PyContainer.Sdk from the local feed
/// exactly as a user's project would, built with a real `dotnet build`.
/// </summary>
public sealed class SampleProject : IDisposable
{
    private SampleProject(string directory, string projectFile)
    {
        Directory = directory;
        ProjectFile = projectFile;
    }

    public string Directory { get; }

    public string ProjectFile { get; }

    /// <summary>A command that `dotnet build` runs under (e.g. unshare with a private /run), its arguments first; empty for none.</summary>
    public IReadOnlyList<string> Launcher { get; set; } = [];

    /// <summary>A package folder of our own, so the freshly packed SDK is used, never a stale cached copy.</summary>
    private static string PackagesFolder { get; } = CreatePackagesFolder();

    /// <summary>A copy of samples/<paramref name="sampleName"/>.</summary>
    public static SampleProject CopyOf(string sampleName) =>
        CopyFrom(Path.Combine(TestEnvironment.RepoRoot, "samples", sampleName), sampleName);

    /// <summary>A copy of one of the small apps under tests/PyContainer.EndToEndTests/Apps.</summary>
    public static SampleProject CopyOfTestApp(string appName) =>
        CopyFrom(Path.Combine(TestEnvironment.RepoRoot, "tests", "PyContainer.EndToEndTests", "Apps", appName), appName);

    /// <summary>A project a test made in <paramref name="directory"/> (e.g. with `dotnet new`); disposing deletes the folder.</summary>
    public static SampleProject At(string directory, string projectFile)
    {
        WriteNuGetConfig(directory);
        return new SampleProject(directory, projectFile);
    }

    private static SampleProject CopyFrom(string source, string name)
    {
        string target = Path.Combine(Path.GetTempPath(), "pycontainer-e2e", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        CopyDirectory(source, target);
        WriteNuGetConfig(target);
        // A solution sample is built through its solution; otherwise the one project is.
        string projectFile = System.IO.Directory.GetFiles(target, "*.sln").SingleOrDefault()
            ?? System.IO.Directory.GetFiles(target, "*.msbuildproj").Single();
        return new SampleProject(target, projectFile);
    }

    /// <summary>The packed SDK comes from the local feed, exactly as a user's project would restore it.</summary>
    private static void WriteNuGetConfig(string directory) =>
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="pycontainer-local" value="{TestEnvironment.PackagesFeed}" />
              </packageSources>
            </configuration>
            """);

    /// <summary>The Dockerfile the last build generated (for failure messages), or a note that there is none.</summary>
    public string GeneratedDockerfile()
    {
        string obj = Path.Combine(Directory, "obj");
        string? path = System.IO.Directory.Exists(obj)
            ? System.IO.Directory.GetFiles(obj, "Dockerfile", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        return path is null ? "(no Dockerfile was generated)" : File.ReadAllText(path);
    }

    /// <summary>`dotnet build` of the project with the test environment's base image and package index.</summary>
    public Task<ProcessResult> BuildAsync(string target, params string[] properties) =>
        BuildAsync(target, new Dictionary<string, string>(), properties);

    /// <summary>
    /// ContainerPublish in the daemonless mode to the plain registry with no engine to reach (DOCKER_HOST at a socket
    /// nothing listens on): the base image comes from the registry, the wheels from the package index.
    /// </summary>
    public Task<ProcessResult> PublishDaemonlessAsync(string repository, string tag, params string[] properties) =>
        BuildAsync("ContainerPublish", new Dictionary<string, string>(StringComparer.Ordinal) { ["DOCKER_HOST"] = "unix:///tmp/pycontainer-no-engine.sock" }, [
            "ContainerBuildMode=Daemonless", "ContainerBaseImage=" + TestEnvironment.RegistryBaseImage, "ContainerRegistry=" + TestEnvironment.Registry,
            "ContainerRepository=" + repository, "ContainerImageTag=" + tag, .. properties]);

    /// <summary>As <see cref="BuildAsync(string, string[])"/>, with extra environment variables for `dotnet`.</summary>
    public Task<ProcessResult> BuildAsync(string target, IDictionary<string, string> environment, params string[] properties) =>
        RunBuildAsync(target, environment, [.. TestEnvironmentProperties(), .. properties]);

    /// <summary>The test environment's base image and package index, before the test's own properties (the last -p wins).</summary>
    private static List<string> TestEnvironmentProperties()
    {
        var testEnvironment = new List<string> { "ContainerBaseImage=" + TestEnvironment.BaseImage };
        if (TestEnvironment.PackageIndexUrl.Length > 0)
        {
            testEnvironment.Add("PythonPackageIndexUrl=" + TestEnvironment.PackageIndexUrl);
        }

        return testEnvironment;
    }

    /// <summary>
    /// As <see cref="BuildAsync(string, string[])"/>, with MSBuild's timestamps on the console's target and project
    /// lines (`-clp:ShowTimestamp`), which <see cref="BuildWindows"/> reads.
    /// </summary>
    public Task<ProcessResult> BuildWithTimestampsAsync(string target, params string[] properties) =>
        RunBuildAsync(target, new Dictionary<string, string>(), [.. TestEnvironmentProperties(), .. properties], showTimestamps: true);

    /// <summary>`dotnet build` with the project's own images and package sources (for Dockerfiles that are not built here).</summary>
    public Task<ProcessResult> BuildAsIsAsync(string target, params string[] properties) =>
        RunBuildAsync(target, new Dictionary<string, string>(), properties);

    private Task<ProcessResult> RunBuildAsync(string target, IDictionary<string, string> environment, IEnumerable<string> properties, bool showTimestamps = false)
    {
        var arguments = new List<string> { "build", ProjectFile, "-t:" + target, "-nodeReuse:false", "--disable-build-servers", "-v:n" };
        if (showTimestamps)
        {
            arguments.Add("-clp:ShowTimestamp");
        }

        arguments.AddRange(properties.Select(p => "-p:" + p));
        var variables = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = PackagesFolder,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        foreach ((string name, string value) in environment)
        {
            // A test's own NUGET_PACKAGES (a cold build's fresh cache) wins over the shared one.
            variables[name] = value;
        }

        return Launcher.Count == 0
            ? ProcessRunner.RunAsync("dotnet", arguments, Directory, variables)
            : ProcessRunner.RunAsync(Launcher[0], [.. Launcher.Skip(1), "dotnet", .. arguments], Directory, variables);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing cleanup must not hide the test's own result.
        }
    }

    private static string CreatePackagesFolder()
    {
        string folder = Path.Combine(TestEnvironment.RepoRoot, "artifacts", "e2e-nuget-packages");
        string cachedSdk = Path.Combine(folder, "pycontainer.sdk");
        if (System.IO.Directory.Exists(cachedSdk))
        {
            System.IO.Directory.Delete(cachedSdk, recursive: true);
        }

        System.IO.Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Copies a folder's files (a symlink as the file it points to) into <paramref name="target"/>, over what is there, leaving out build output and bytecode.</summary>
    internal static void CopyDirectory(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (string file in System.IO.Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "__pycache__"))
            {
                continue;
            }

            string destination = Path.Combine(target, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
