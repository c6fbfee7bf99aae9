using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// The write-up samples without a test class of their own (flask-hello and django-postgis have one), each built
/// from its MSBuild items alone with `dotnet build -t:ContainerBuild`, run, and asked for its page.
/// </summary>
[Collection(SerialImageBuilds.Name)]
public sealed class WriteUpSampleTests
{
    [Fact]
    public async Task Flask_on_Twisted_pex_sample_answers_from_its_pex_the_only_file_its_runner_adds_but_the_pex_unpacked()
    {
        string image = await BuildAsync("flask-twisted-pex");
        try
        {
            ImageInspector inspector = await ImageInspector.LoadAsync(image);
            int baseLayers = await ImageInspector.LayerCountAsync(TestEnvironment.BaseImage);
            var addedFiles = inspector.Layers.Skip(baseLayers).SelectMany(l => l.Paths).Where(p => !p.EndsWith('/')).ToList();
            // The pex, and what it unpacks into PEX_ROOT, unpacked at build time so that nothing is written at start
            // (it runs with --read-only) and the first request does not wait for 24 MB to be unpacked.
            Assert.Equal("/opt/app.pex", addedFiles[0]);
            Assert.All(addedFiles.Skip(1), path => Assert.StartsWith("/opt/pex-root/", path, StringComparison.Ordinal));

            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Equal("If you are seeing this, the multi-stage build succeeded", await container.GetAsync("/"));
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task Wheels_app_sample_runs_runapp_py_from_its_installed_wheel()
    {
        string image = await BuildAsync("wheels-app");
        try
        {
            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.StartsWith("Hello from wheelsapp", await container.GetAsync("/"), StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    private static async Task<string> BuildAsync(string sampleName)
    {
        string tag = "e2e-" + Guid.NewGuid().ToString("N")[..10];
        using var sample = SampleProject.CopyOf(sampleName);
        (await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag)).ShouldSucceed("dotnet build -t:ContainerBuild of samples/" + sampleName);
        return $"samples/{sampleName}:{tag}";
    }
}
