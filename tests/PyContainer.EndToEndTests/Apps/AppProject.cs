using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests.Apps;

/// <summary>
/// A copy of one of the test apps under tests/PyContainer.EndToEndTests/Apps in a temporary folder, consuming
/// the packed SDK from the local feed like <see cref="SampleProject"/> does for samples/. SampleProject only
/// reads samples/ and its constructor is private, so the copy, NuGet.config and build code is duplicated here.
/// </summary>
public sealed class AppProject : IDisposable
{
    private AppProject(string directory, string projectFile)
    {
        Directory = directory;
        ProjectFile = projectFile;
    }

    public string Directory { get; }

    public string ProjectFile { get; }

    public static string AppsFolder => Path.Combine(TestEnvironment.RepoRoot, "tests", "PyContainer.EndToEndTests", "Apps");

    /// <summary>
    /// A package folder of our own, emptied of the SDK once per run: sharing SampleProject's folder would let its
    /// one-time cleanup delete the SDK under a build of ours that is restoring from it.
    /// </summary>
    private static string PackagesFolder { get; } = CreatePackagesFolder();

    public static AppProject CopyOf(string appName)
    {
        string source = Path.Combine(AppsFolder, appName);
        string target = Path.Combine(Path.GetTempPath(), "pycontainer-e2e", "apps", appName + "-" + Guid.NewGuid().ToString("N")[..8]);
        CopyDirectory(source, target);
        File.WriteAllText(Path.Combine(target, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="pycontainer-local" value="{TestEnvironment.PackagesFeed}" />
              </packageSources>
            </configuration>
            """);
        string projectFile = System.IO.Directory.GetFiles(target, "*.msbuildproj").Single();
        return new AppProject(target, projectFile);
    }

    /// <summary>`dotnet build` of the project with the test environment's base image and package index.</summary>
    public Task<ProcessResult> BuildAsync(string target, params string[] properties)
    {
        var arguments = new List<string>
        {
            "build", ProjectFile, "-t:" + target, "-nodeReuse:false", "--disable-build-servers", "-v:n",
            "-p:ContainerBaseImage=" + TestEnvironment.BaseImage,
        };
        if (TestEnvironment.PackageIndexUrl.Length > 0)
        {
            arguments.Add("-p:PythonPackageIndexUrl=" + TestEnvironment.PackageIndexUrl);
        }

        arguments.AddRange(properties.Select(p => "-p:" + p));
        return ProcessRunner.RunAsync("dotnet", arguments, Directory, new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = PackagesFolder,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        });
    }

    /// <summary>The Dockerfile the build generated (for failure messages), or a note that there is none.</summary>
    public string GeneratedDockerfile()
    {
        string obj = Path.Combine(Directory, "obj");
        string? path = System.IO.Directory.Exists(obj)
            ? System.IO.Directory.GetFiles(obj, "Dockerfile", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        return path is null ? "(no Dockerfile was generated)" : File.ReadAllText(path);
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
        string folder = Path.Combine(TestEnvironment.RepoRoot, "artifacts", "e2e-nuget-packages-apps");
        string cachedSdk = Path.Combine(folder, "pycontainer.sdk");
        if (System.IO.Directory.Exists(cachedSdk))
        {
            System.IO.Directory.Delete(cachedSdk, recursive: true);
        }

        System.IO.Directory.CreateDirectory(folder);
        return folder;
    }

    private static void CopyDirectory(string source, string target)
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
            File.Copy(file, destination);
        }
    }
}

/// <summary>One app built once with `dotnet build -t:ContainerBuild` into a uniquely tagged local image.</summary>
public sealed record BuiltApp(string Name, string Image, ProcessResult Build, string Dockerfile, TimeSpan Duration)
{
    /// <summary>Builds <paramref name="appName"/> (a folder under Apps/) into pycontainer-e2e/NAME:TAG; the copy is deleted afterwards.</summary>
    public static async Task<BuiltApp> BuildAsync(string appName, string variant, params string[] properties)
    {
        string repository = "pycontainer-e2e/" + appName;
        string tag = variant + "-" + Guid.NewGuid().ToString("N")[..10];
        using AppProject project = AppProject.CopyOf(appName);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProcessResult build = await project.BuildAsync(
            "ContainerBuild",
            ["ContainerRepository=" + repository, "ContainerImageTag=" + tag, .. properties]);
        return new BuiltApp(appName, $"{repository}:{tag}", build, project.GeneratedDockerfile(), clock.Elapsed);
    }

    /// <summary>Fails with the build's errors and the generated Dockerfile unless the build succeeded.</summary>
    public void ShouldHaveBuilt(Func<string, string?>? knownIssue = null)
    {
        if (Build.ExitCode == 0)
        {
            return;
        }

        string[] lines = Build.Output.Split('\n');
        string errors = string.Join('\n', lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct().Take(30));
        string steps = string.Join('\n', lines.Where(l => l.TrimStart().StartsWith('[')).TakeLast(15));
        string? known = knownIssue?.Invoke(Build.Output);
        throw new Xunit.Sdk.XunitException(
            (known is null ? "" : "KNOWN ISSUE: " + known + "\n\n")
            + $"dotnet build -t:ContainerBuild of Apps/{Name} failed with exit code {Build.ExitCode}.\n"
            + $"Last build steps:\n{steps}\n\nErrors:\n{errors}\n\nGenerated Dockerfile:\n{Dockerfile}");
    }

    public Task RemoveImageAsync() => ProcessRunner.DockerAsync("image", "rm", "-f", Image);
}

/// <summary>Ways to talk to a container under test that RunningContainer does not offer.</summary>
public static class ContainerChecks
{
    /// <summary>
    /// GET <paramref name="path"/> until it answers 200, like <see cref="RunningContainer.GetAsync"/>, but fails at
    /// once when the container exits (no 30 s of retries against a dead server), naming a known cause if the log shows one.
    /// </summary>
    public static async Task<string> AnswerAsync(RunningContainer container, string path, Func<string, string?>? knownIssue = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string last = "";
        for (int attempt = 0; attempt < 60; attempt++)
        {
            try
            {
                using HttpResponseMessage response = await client.GetAsync(new Uri($"http://127.0.0.1:{container.Port}{path}"));
                string body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    return body;
                }

                last = $"GET {path} answered {(int)response.StatusCode}: {body}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            ProcessResult state = await ProcessRunner.DockerAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container.Id);
            if (!state.Output.StartsWith("running", StringComparison.Ordinal))
            {
                throw await FailureAsync(container, $"The container stopped ({state.Output.Trim()}) before answering GET {path}.", knownIssue);
            }

            await Task.Delay(500);
        }

        throw await FailureAsync(container, $"The container did not answer GET {path}: {last}", knownIssue);
    }

    public static async Task<string> LogAsync(RunningContainer container) => (await ProcessRunner.DockerAsync("logs", container.Id)).Output;

    private static async Task<Exception> FailureAsync(RunningContainer container, string what, Func<string, string?>? knownIssue)
    {
        string log = await LogAsync(container);
        string? known = knownIssue?.Invoke(log);
        return new Xunit.Sdk.XunitException((known is null ? "" : "KNOWN ISSUE: " + known + "\n\n") + what + "\nContainer log:\n" + log);
    }
}
