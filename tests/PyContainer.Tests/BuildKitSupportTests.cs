using PyContainer.Context;
using PyContainer.Dockerfile;
using PyContainer.Docker;
using PyContainer.Model;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class BuildKitSupportTests
{
    [Theory]
    [InlineData("linux", "1.41", true)]
    [InlineData("linux", "1.39", true)]
    [InlineData("Linux", "1.45", true)]
    [InlineData("linux", "1.38", false)]
    [InlineData("windows", "1.41", false)]
    [InlineData("linux", "", false)]
    [InlineData(null, null, false)]
    public void BuildKit_needs_Engine_API_1_39_and_Linux_containers(string? os, string? apiVersion, bool expected) =>
        Assert.Equal(expected, DockerEngine.SupportsBuildKit(os, apiVersion));

    [Fact]
    public void A_BuildKit_context_carries_a_legacy_Dockerfile_without_mounts_that_copies_a_venv()
    {
        using var project = new TestProject();
        PythonApp app = PythonApp.Create(project.FlaskSettings());

        string legacy = DockerfileGenerator.Generate(app.ForLegacyBuilder());
        BuildContext context = BuildContext.For(app, DockerfileGenerator.Generate(app), legacy);

        Assert.Contains(DockerfileGenerator.LegacyDockerfileName, context.Paths);
        Assert.DoesNotContain("--mount", legacy, StringComparison.Ordinal);
        Assert.Contains("COPY --from=builder [\"/opt/venv\", \"/opt/venv\"]", legacy, StringComparison.Ordinal);
        Assert.Contains("--mount", DockerfileGenerator.Generate(app), StringComparison.Ordinal);
    }
}
