using Docker.DotNet.Models;
using PyContainer.Images;

namespace PyContainer.Docker;

/// <summary>
/// Which builder sits behind the engine's /build, from its /version answer. Docker's engine has BuildKit from
/// Engine API 1.39 on Linux. Podman (its service speaks the same API and names itself "Podman Engine" in
/// Components) answers 1.41 too, but its /build is Buildah: no BuildKit session, and Buildah 1.28 (Debian 12's
/// Podman 4.3) cannot bind-mount a stage it took from its cache (RUN --mount=type=bind,from=builder finds an
/// empty folder), so the legacy Dockerfile, which copies the venv instead, is what builds there.
/// </summary>
internal static class EngineBuilderProbe
{
    private const string PodmanComponent = "Podman Engine";

    public static BuildKitSupport Of(VersionResponse version, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (PodmanVersion(version) is { } podman)
        {
            return new BuildKitSupport(false, $"The engine at {endpoint} is Podman {podman}: its builder is Buildah, which has no BuildKit, so the legacy Dockerfile (Dockerfile.legacy: no pip cache mount, the venv copied from the builder stage) is built.", LegacySkipsUnusedStages: true);
        }

        return SupportsBuildKit(version.Os, version.APIVersion) ? BuildKitSupport.Yes : BuildKitSupport.No;
    }

    /// <summary>Podman's version when the engine is Podman, else null.</summary>
    internal static string? PodmanVersion(VersionResponse version) =>
        version.Components?.FirstOrDefault(c => string.Equals(c.Name, PodmanComponent, StringComparison.OrdinalIgnoreCase)) is { } podman
            ? (string.IsNullOrEmpty(podman.Version) ? "(version unknown)" : podman.Version)
            : null;

    internal static bool SupportsBuildKit(string? os, string? apiVersion) =>
        string.Equals(os, "linux", StringComparison.OrdinalIgnoreCase)
        && System.Version.TryParse(apiVersion, out System.Version? api) && api >= new System.Version(1, 39);
}
