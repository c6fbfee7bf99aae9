using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>samples/polyglot: an ASP.NET project, a Flask and a Django service in one solution.</summary>
public sealed class SolutionTests
{
    [Fact]
    public async Task ContainerPublish_on_the_solution_publishes_every_Python_service_in_parallel_and_leaves_CSharp_projects_alone()
    {
        using var sample = SampleProject.CopyOf("polyglot");
        string tag = "solution-" + Guid.NewGuid().ToString("N")[..8];
        string[] images = [$"{TestEnvironment.Registry}/polyglot/flask-service:{tag}", $"{TestEnvironment.Registry}/polyglot/django-service:{tag}"];
        try
        {
            ProcessResult result = await sample.BuildWithTimestampsAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);

            result.ShouldSucceed("dotnet build Polyglot.sln -t:ContainerPublish");
            // In parallel: MSBuild's own timestamps put both services' image builds and pushes in progress at once.
            var windows = BuildWindows.Of(result, "ContainerBuild");
            Assert.Equal(2, windows.Count);
            Assert.True(BuildWindows.MostAtOnce(windows.Values) == 2, "the services were published one after another:\n" + BuildWindows.Describe(windows));
            foreach (string image in images)
            {
                Assert.Contains($"Pushed {image}", result.Output, StringComparison.Ordinal);
                (await ProcessRunner.DockerAsync("image", "rm", image)).ShouldSucceed("docker image rm");
                (await ProcessRunner.DockerAsync("pull", image)).ShouldSucceed("docker pull " + image);
            }

            Assert.False(Directory.Exists(Path.Combine(sample.Directory, "WebApi", "bin")), "the C# project must not be built by ContainerPublish");

            await using RunningContainer django = await RunningContainer.StartAsync(images[1]);
            Assert.Equal("Hello from the Django service\n", await django.GetAsync("/"));
        }
        finally
        {
            foreach (string image in images)
            {
                await ProcessRunner.DockerAsync("image", "rm", "-f", image);
            }
        }
    }
}
