using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests.Apps;

/// <summary>One app built once with `dotnet build -t:ContainerBuild` into a uniquely tagged local image.</summary>
public sealed record BuiltApp(string Name, string Image, ProcessResult Build, string Dockerfile, TimeSpan Duration)
{
    /// <summary>Builds <paramref name="appName"/> (a folder under Apps/) into pycontainer-e2e/NAME:TAG; the copy is deleted afterwards.</summary>
    public static async Task<BuiltApp> BuildAsync(string appName, string variant, params string[] properties)
    {
        string repository = "pycontainer-e2e/" + appName;
        string tag = variant + "-" + Guid.NewGuid().ToString("N")[..10];
        using SampleProject project = SampleProject.CopyOfTestApp(appName);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProcessResult build = await project.BuildAsync(
            "ContainerBuild",
            ["ContainerRepository=" + repository, "ContainerImageTag=" + tag, .. properties]);
        return new BuiltApp(appName, $"{repository}:{tag}", build, project.GeneratedDockerfile(), clock.Elapsed);
    }

    /// <summary>Fails with the build's errors and the generated Dockerfile unless the build succeeded.</summary>
    public void ShouldHaveBuilt()
    {
        if (Build.ExitCode == 0)
        {
            return;
        }

        string[] lines = Build.Output.Split('\n');
        string errors = string.Join('\n', lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct().Take(30));
        string steps = string.Join('\n', lines.Where(l => l.TrimStart().StartsWith('[')).TakeLast(15));
        throw new Xunit.Sdk.XunitException(
            $"dotnet build -t:ContainerBuild of Apps/{Name} failed with exit code {Build.ExitCode}.\n"
            + $"Last build steps:\n{steps}\n\nErrors:\n{errors}\n\nGenerated Dockerfile:\n{Dockerfile}");
    }

    public Task RemoveImageAsync() => ProcessRunner.DockerAsync("image", "rm", "-f", Image);
}
