using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Images;
using PyContainer.Model;

namespace PyContainer.Docker;

/// <summary>
/// The Docker Engine API as an <see cref="IImageBuilder"/>: BuildKit (or legacy) builds from a streamed context,
/// tags, pushes (<see cref="DockerPush"/>), saves. Every failure the user can act on becomes a coded
/// <see cref="PyContainerException"/>; the connection is <see cref="EngineConnection"/>'s, the build output
/// <see cref="BuildOutputParser"/>'s.
/// </summary>
public sealed class DockerEngine : IImageBuilder
{
    private readonly DockerClient _client;
    private readonly PlatformPreflight _preflight;
    private readonly IReadOnlyList<ContainerPlatform> _platforms;
    private bool _platformsChecked;

    private DockerEngine(DockerClient client, EngineEndpoint endpoint, DockerConfig config, IReadOnlyList<ContainerPlatform> platforms)
    {
        _client = client;
        Endpoint = endpoint.Address;
        EndpointSource = endpoint.Source;
        _platforms = platforms;
        _preflight = new PlatformPreflight(client, endpoint.Address, registry => RegistryCredentials.Resolve(registry, config));
    }

    public string Endpoint { get; }

    public string EndpointSource { get; }

    /// <inheritdoc/>
    public bool RunsDockerfile => true;

    /// <summary>
    /// Connects to the engine <see cref="EngineEndpoint.Resolve(string?, Func{string, string?}, string)"/> picks
    /// (<paramref name="endpoint"/> is the ContainerEngineEndpoint property) and checks that it answers.
    /// </summary>
    public static Task<DockerEngine> ConnectAsync(string? endpoint, CancellationToken cancellationToken) =>
        ConnectAsync(endpoint, DockerConfig.FromEnvironment(Environment.GetEnvironmentVariable), cancellationToken);

    /// <param name="endpoint">The ContainerEngineEndpoint property.</param>
    /// <param name="config">The docker config whose current context may name the engine.</param>
    /// <param name="cancellationToken">Ends the connection attempt.</param>
    /// <param name="platforms">
    /// The platforms the builds are for (ContainerRuntimeIdentifiers): <see cref="BuildAsync"/> builds the first
    /// (one is the usual single-platform image); empty builds the engine's own.
    /// </param>
    public static async Task<DockerEngine> ConnectAsync(string? endpoint, DockerConfig config, CancellationToken cancellationToken, IReadOnlyList<ContainerPlatform>? platforms = null)
    {
        (DockerClient client, EngineEndpoint resolved) = await EngineConnection.OpenAsync(endpoint, config, cancellationToken);
        return new DockerEngine(client, resolved, config, platforms ?? []);
    }

    /// <inheritdoc/>
    /// <remarks>With platforms, the first build checks emulation and the FROM images' platforms first (PYC3023, PYC4007).</remarks>
    public Task<string> BuildAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit, string? target, IBuildLog log, CancellationToken cancellationToken) =>
        BuildAsync(context, buildArguments, buildKit, target, _platforms.Count == 0 ? null : _platforms[0], log, cancellationToken);

    /// <summary>Builds as <see cref="BuildAsync(BuildContext, IReadOnlyDictionary{string, string}, bool, string?, IBuildLog, CancellationToken)"/> does, for <paramref name="platform"/> (null: the engine's own).</summary>
    public async Task<string> BuildAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, bool buildKit, string? target, ContainerPlatform? platform, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(buildArguments);
        ArgumentNullException.ThrowIfNull(log);
        if (_platforms.Count > 0 && !_platformsChecked)
        {
            await _preflight.CheckAsync(_platforms, context, buildKit, buildArguments, log, cancellationToken);
            _platformsChecked = true;
        }

        var parameters = new ImageBuildParameters
        {
            Version = buildKit ? "2" : "1",
            // The Engine API's platform parameter (1.32+): BuildKit pulls the FROM images' manifests for it and runs RUN steps under QEMU.
            Platform = platform?.ToString(),
            Dockerfile = context.DockerfileFor(buildKit),
            // The host network: the default bridge may be absent, and package indexes on loopback stay reachable.
            NetworkMode = "host",
            BuildArgs = buildArguments.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
            Remove = true,
            ForceRemove = true,
            Target = target,
        };

        var parser = new BuildOutputParser(log);
        var started = DateTime.UtcNow;
        using (Stream tar = await ContextStream.CreateAsync(context, cancellationToken))
        {
            try
            {
                // The non-obsolete overload parses progress into JSONMessage and throws on BuildKit's string
                // "aux" payloads; this one hands over the raw stream, which is what the progress decoder needs.
#pragma warning disable CS0618
                using Stream output = await _client.Images.BuildImageFromDockerfileAsync(tar, parameters, cancellationToken);
#pragma warning restore CS0618
                using var reader = new StreamReader(output);
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    parser.Read(line);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await RemoveStepContainerAsync(parser.StepContainer);
                throw Errors.Create(Errors.BuildCancelled);
            }
            catch (DockerApiException e)
            {
                parser.Fail(ErrorMessageOf(e));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
            {
                // A cut mid-upload surfaces as HttpRequestException (wrapping the broken pipe), mid-stream as IOException.
                throw Errors.Create(Errors.BuildFailed, e, $"the connection to the engine at {Endpoint} broke: {e.GetBaseException().Message}");
            }
        }

        string imageId = parser.ImageIdOrThrow();
        double seconds = (DateTime.UtcNow - started).TotalSeconds;
        if (target is not null)
        {
            log.Info(string.Format(CultureInfo.InvariantCulture, "  Checked the entry point: the {0} stage took {1:0.0}s ({2} of {3} steps cached).", target, seconds, parser.CachedStepCount, parser.StepCount));
            return imageId;
        }

        long size = (await _client.Images.InspectImageAsync(imageId, cancellationToken)).Size;
        log.Info(string.Format(CultureInfo.InvariantCulture, "  Built {0}{1} ({2:0.0} MB) in {3:0.0}s ({4} of {5} steps cached).", ImageBuildService.ShortId(imageId), platform is null ? "" : " for " + platform, size / 1e6, seconds, parser.CachedStepCount, parser.StepCount));
        return imageId;
    }

    /// <summary>Whether the engine can build with BuildKit (<see cref="EngineBuilderProbe"/>: Docker 1.39+ on Linux, never Podman).</summary>
    public async Task<BuildKitSupport> ProbeBuildKitAsync(CancellationToken cancellationToken) =>
        EngineBuilderProbe.Of(await _client.System.GetVersionAsync(cancellationToken), Endpoint);

    /// <inheritdoc/>
    public async Task<bool> TagAsync(string imageId, ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (await FindImageIdAsync(reference.ToString(), cancellationToken) == imageId)
        {
            return false;
        }

        await _client.Images.TagImageAsync(imageId, new ImageTagParameters { RepositoryName = reference.Name, Tag = reference.Tag }, cancellationToken);
        return true;
    }

    /// <summary>
    /// Removes the check stage's image (untagged; BuildKit's cache keeps its steps), so checks leave no dangling
    /// image behind. An image that is also something else's (a tag, a container) stays: the engine refuses.
    /// </summary>
    public async Task RemoveUntaggedImageAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Images.DeleteImageAsync(imageId, new ImageDeleteParameters { Force = false }, cancellationToken);
        }
        catch (DockerApiException)
        {
            // In use or already gone: nothing to clean up.
        }
    }

    /// <inheritdoc/>
    public async Task<string?> FindImageIdAsync(string nameOrId, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.Images.InspectImageAsync(nameOrId, cancellationToken)).ID;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The manifest digest the registry holds for <paramref name="reference"/>, asked through the engine, or
    /// null when it cannot tell (no such tag, registry unreachable or asking for credentials).
    /// </summary>
    public async Task<string?> FindRegistryDigestAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        try
        {
            return (await _client.Distribution.InspectAsync(reference.ToString(), cancellationToken)).Descriptor?.Digest;
        }
        catch (DockerApiException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public Task<string> PushAsync(ImageReference reference, RegistryCredential credential, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(log);
        return new DockerPush(_client, log).PushAsync(reference, credential, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task SaveAsync(IReadOnlyList<ImageReference> references, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        string temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (Stream image = await _client.Images.SaveImagesAsync(references.Select(r => r.ToString()).ToArray(), cancellationToken))
            using (FileStream file = File.Create(temporary))
            {
                await image.CopyToAsync(file, 81920, cancellationToken);
            }

            // Written aside and moved in: a cancelled or broken save never leaves a truncated archive behind.
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DockerApiException)
        {
            File.Delete(temporary);
            throw Errors.Create(Errors.ArchiveFailed, e, path, e is DockerApiException api ? ErrorMessageOf(api) : e.Message);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// The image as `docker save` writes it (GET /images/{id}/get): manifest.json, the config, each layer.tar.
    /// Buffered: Docker.DotNet's chunked response stream throws EndOfStreamException on the small reads a tar
    /// reader makes across chunk boundaries; reads of a buffer's size go through it intact.
    /// </summary>
    public async Task<Stream> SaveImageAsync(string imageId, CancellationToken cancellationToken) =>
        new BufferedStream(await _client.Images.SaveImageAsync(imageId, cancellationToken), 1 << 16);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Sbom.ImageInventory>> InventoryAsync(string imageId, string? baseImage, CancellationToken cancellationToken) =>
        [await EngineInventory.ReadAsync(_client, token => SaveImageAsync(imageId, token), imageId, baseImage, cancellationToken)];

    public void Dispose() => _client.Dispose();

    /// <summary>The engine's own message from an API error's JSON body ({"message": ...}), else the body or the exception's text.</summary>
    internal static string ErrorMessageOf(DockerApiException e)
    {
        if (e.ResponseBody is not { Length: > 0 } body)
        {
            return e.Message;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out JsonElement message) ? message.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    /// <summary>
    /// The engine removes a cancelled legacy step's container only after it stopped, seconds after the client
    /// left; removing it here means a cancelled build is over, container included, when the task returns.
    /// </summary>
    private async Task RemoveStepContainerAsync(string? container)
    {
        if (container is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, timeout.Token);
        }
        catch (Exception e) when (e is DockerApiException or OperationCanceledException or IOException or HttpRequestException)
        {
            // Already gone, or the engine removes it itself: cancellation must not turn into another error.
        }
    }
}
