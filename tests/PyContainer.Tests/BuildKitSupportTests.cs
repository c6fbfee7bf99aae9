using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Docker;
using PyContainer.Model;
using PyContainer.Settings;
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
        Assert.Equal(expected, EngineBuilderProbe.SupportsBuildKit(os, apiVersion));

    [Fact]
    public void A_BuildKit_context_carries_a_legacy_Dockerfile_without_mounts_that_copies_a_venv()
    {
        using var project = new TestProject();
        PythonApp app = PythonAppResolver.Resolve(project.FlaskSettings());

        GeneratedContext generated = DockerfileGenerator.Generate(app);
        string legacy = generated.LegacyDockerfile!;
        BuildContext context = BuildContext.For(app, generated);

        Assert.Contains(GeneratedContext.LegacyDockerfileName, context.Paths);
        Assert.DoesNotContain("--mount", legacy, StringComparison.Ordinal);
        Assert.Contains("COPY --from=builder [\"/opt/venv\", \"/opt/venv\"]", legacy, StringComparison.Ordinal);
        Assert.Contains("--mount", generated.Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_BuildKit_the_wheels_strategy_falls_back_to_a_copied_venv_with_PYC2002_and_no_twin()
    {
        using var project = new TestProject();
        PythonApp app = PythonAppResolver.Resolve(project.FlaskSettings() with { ContainerBuildKit = false });

        GeneratedContext generated = DockerfileGenerator.Generate(app);

        Assert.Equal(Errors.LegacyBuilderFallback, Assert.Single(generated.Warnings).Code);
        Assert.Null(generated.LegacyDockerfile);
        Assert.Equal(DockerfileGenerator.Generate(PythonAppResolver.Resolve(project.FlaskSettings())).LegacyDockerfile, generated.Dockerfile);
    }

    [Fact]
    public void The_legacy_twin_of_a_BuildKit_build_warns_nothing()
    {
        using var project = new TestProject();

        Assert.Empty(DockerfileGenerator.Generate(PythonAppResolver.Resolve(project.FlaskSettings())).Warnings);
    }

    [Fact]
    public void A_daemonless_build_without_BuildKit_warns_nothing_it_uses_no_builder()
    {
        using var project = new TestProject();
        project.Write("pylock.toml", "lock-version = \"1.0\"\n");
        PythonApp app = PythonAppResolver.Resolve(project.FlaskSettings() with { ContainerBuildKit = false, ContainerBuildMode = "Daemonless" });

        Assert.Empty(DockerfileGenerator.Generate(app).Warnings);
    }
}
