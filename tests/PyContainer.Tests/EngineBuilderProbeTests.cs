using Docker.DotNet.Models;
using PyContainer.Docker;
using PyContainer.Images;

namespace PyContainer.Tests;

/// <summary>What /version answers tell about the builder behind /build (answers as Docker 20.10 and Podman 4.3 give them).</summary>
public sealed class EngineBuilderProbeTests
{
    [Fact]
    public void Docker_on_Linux_with_API_1_41_has_BuildKit_and_no_note()
    {
        var docker = new VersionResponse { Os = "linux", APIVersion = "1.41", Components = [new ComponentVersion { Name = "Engine", Version = "20.10.24" }] };

        Assert.Equal(BuildKitSupport.Yes, EngineBuilderProbe.Of(docker, "unix:///var/run/docker.sock"));
    }

    [Fact]
    public void Podman_answering_API_1_41_has_no_BuildKit_and_a_note_naming_it_and_the_legacy_Dockerfile()
    {
        var podman = new VersionResponse
        {
            Os = "linux",
            APIVersion = "1.41",
            Components = [new ComponentVersion { Name = "Podman Engine", Version = "4.3.1" }, new ComponentVersion { Name = "Conmon", Version = "2.1.6" }],
        };

        BuildKitSupport support = EngineBuilderProbe.Of(podman, "unix:///run/podman/podman.sock");

        Assert.False(support.Available);
        Assert.True(support.LegacySkipsUnusedStages);
        Assert.Contains("unix:///run/podman/podman.sock is Podman 4.3.1", support.EngineNote, StringComparison.Ordinal);
        Assert.Contains("Buildah", support.EngineNote, StringComparison.Ordinal);
        Assert.Contains("Dockerfile.legacy", support.EngineNote, StringComparison.Ordinal);
    }
}
