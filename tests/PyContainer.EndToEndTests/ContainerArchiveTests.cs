using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>ContainerArchiveOutputPath: ContainerPublish writes a `docker save` tarball instead of pushing.</summary>
public sealed class ContainerArchiveTests
{
    [Fact]
    public async Task Publish_with_ContainerArchiveOutputPath_saves_a_tarball_that_docker_load_restores()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "archive-" + Guid.NewGuid().ToString("N")[..8];
        string image = "samples/flask-hello:" + tag;
        string archive = Path.Combine(sample.Directory, "out", "flask-hello.tar");

        // No ContainerRegistry: an archive needs none.
        ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerImageTag=" + tag, "ContainerArchiveOutputPath=out/flask-hello.tar");

        try
        {
            result.ShouldSucceed("ContainerPublish with ContainerArchiveOutputPath");
            Assert.Contains($"Saving {image} to {archive}", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Pushing", result.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(archive), archive + " was not written.");

            (await ProcessRunner.DockerAsync("image", "rm", image)).ShouldSucceed("docker image rm");
            ProcessResult load = await ProcessRunner.DockerAsync("load", "-i", archive);
            load.ShouldSucceed("docker load");
            Assert.Contains("Loaded image: " + image, load.Output, StringComparison.Ordinal);
            (await ProcessRunner.DockerAsync("image", "inspect", image)).ShouldSucceed("docker image inspect of the loaded image");
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task A_folder_as_ContainerArchiveOutputPath_gets_a_tarball_named_after_the_repository()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "archive-" + Guid.NewGuid().ToString("N")[..8];

        ProcessResult result = await sample.BuildAsync("ContainerPublish", "ContainerImageTag=" + tag, "ContainerArchiveOutputPath=images/");

        try
        {
            result.ShouldSucceed("ContainerPublish with a folder as ContainerArchiveOutputPath");
            Assert.True(File.Exists(Path.Combine(sample.Directory, "images", "samples-flask-hello.tar")));
            Assert.Empty(Directory.GetFiles(Path.Combine(sample.Directory, "images"), "*.tmp"));
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", "samples/flask-hello:" + tag);
        }
    }
}
