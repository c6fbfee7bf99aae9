using Docker.DotNet.Models;
using Docker.DotNet;
using Platform = PyContainer.Oci.Platform;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Images;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Docker;

/// <summary>
/// What a Dockerfile build for other platforms needs, checked before anything is built: QEMU emulation on the
/// engine's host (PYC3023) and every FROM image offering every platform (PYC4007). A remote engine's binfmt
/// handlers cannot be read from here: that check is skipped with an info line, and a missing handler shows as the
/// first RUN step's "exec format error".
/// </summary>
internal sealed class PlatformPreflight(DockerClient client, string endpoint, Func<string, RegistryCredential> credentials)
{
    public async Task CheckAsync(IReadOnlyList<ContainerPlatform> platforms, BuildContext context, bool buildKit, IReadOnlyDictionary<string, string> buildArguments, IBuildLog log, CancellationToken cancellationToken)
    {
        SystemInfoResponse info = await client.System.GetSystemInfoAsync(cancellationToken);
        if (Emulation.Emulated(info.Architecture, platforms).Any())
        {
            if (endpoint.StartsWith("unix://", StringComparison.Ordinal) && OperatingSystem.IsLinux())
            {
                Emulation.Check(endpoint, info.Architecture, platforms, Emulation.ReadHandlers());
            }
            else
            {
                log.Info($"  The engine at {endpoint} runs {info.Architecture}: the other platforms' RUN steps need QEMU emulation on its host, which cannot be checked from here.");
            }
        }

        foreach (string image in DockerfileBaseImages.Read(context.ReadText(context.DockerfileFor(buildKit)), buildArguments))
        {
            await CheckImageAsync(image, platforms, cancellationToken);
        }
    }

    /// <summary>
    /// The registry's index when the name has a registry; else (or when the registry does not answer) the engine's
    /// local image, which offers its one platform. An image neither has is BuildKit's to pull, and to fail on.
    /// </summary>
    private async Task CheckImageAsync(string image, IReadOnlyList<ContainerPlatform> platforms, CancellationToken cancellationToken)
    {
        ImageReference reference = ImageReference.Parse(image, "ContainerBaseImage");
        if (reference.Registry is not null && await FindIndexAsync(RemoteImage.Parse(image), cancellationToken) is { } index)
        {
            foreach (ContainerPlatform platform in platforms)
            {
                PlatformManifests.Select(index, platform.Oci.Os, platform.Oci.Architecture, platform.Oci.Variant, image);
            }

            return;
        }

        ImageInspectResponse local;
        try
        {
            local = await client.Images.InspectImageAsync(image, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
            return;
        }

        Platform offered = PlatformManifests.Normalize(new Platform(local.Architecture, local.Os) { Variant = string.IsNullOrEmpty(local.Variant) ? null : local.Variant });
        foreach (ContainerPlatform platform in platforms)
        {
            Platform wanted = PlatformManifests.Normalize(platform.Oci);
            if (wanted.Os != offered.Os || wanted.Architecture != offered.Architecture)
            {
                throw Errors.Create(Errors.PlatformNotInIndex, image + " (a local image of the engine)", platform.ToString(), offered.ToString());
            }
        }
    }

    private async Task<ManifestResponse?> FindIndexAsync(RemoteImage image, CancellationToken cancellationToken)
    {
        using RegistryClient registry = RegistryClient.For(image.Registry, credentials);
        try
        {
            return await registry.GetManifestAsync(image.Repository, image.Reference, cancellationToken);
        }
        catch (PyContainerException e) when (e.Code is Errors.RegistryUnreachable or Errors.RegistryRequestFailed)
        {
            return null;
        }
    }
}
