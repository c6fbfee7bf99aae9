using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>`-t:PublishContainer`, the .NET SDK's name, does what ContainerPublish does: build, tag, push.</summary>
public sealed class PublishContainerTests
{
    [Fact]
    public async Task PublishContainer_pushes_to_the_registry_as_ContainerPublish_does()
    {
        string tag = "e2e-alias-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"{TestEnvironment.Registry}/samples/flask-hello:{tag}";
        using var sample = SampleProject.CopyOf("flask-hello");
        try
        {
            ProcessResult result = await sample.BuildAsync("PublishContainer", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);

            result.ShouldSucceed("dotnet build -t:PublishContainer");
            Assert.Contains($"Tagged {image}", result.Output, StringComparison.Ordinal);
            Assert.Matches($@"Pushed {System.Text.RegularExpressions.Regex.Escape(image)} \(sha256:[0-9a-f]{{64}}\)", result.Output);
            Assert.True(await PlainRegistry.HasManifestAsync(TestEnvironment.Registry, "samples/flask-hello", tag), $"{image} is not in the registry");
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }
}
