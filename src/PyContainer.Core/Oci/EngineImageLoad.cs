using System.Net.Http;
using Docker.DotNet;
using Docker.DotNet.Models;
using PyContainer.Diagnostics;
using PyContainer.Docker;

namespace PyContainer.Oci;

/// <summary>
/// Loads an image archive (<see cref="ImageArchive"/>) into a Docker engine through the Engine API's image load,
/// as <c>docker load</c> does. A failed request, or an error the engine reports in its progress stream, is PYC3021.
/// </summary>
public static class EngineImageLoad
{
    /// <summary>
    /// Connects to the engine as the rest of PyContainer does (<paramref name="endpoint"/> is ContainerEngineEndpoint,
    /// else DOCKER_HOST, the docker context, the default socket; PYC3001 when none answers) and loads the archive.
    /// </summary>
    /// <param name="endpoint">The ContainerEngineEndpoint property (null: DOCKER_HOST, the docker context, the default).</param>
    /// <param name="archive">The archive's bytes (read to its end).</param>
    /// <param name="cancellationToken">Ends the load.</param>
    /// <param name="log">Gets the engine's "Loaded image: ..." lines.</param>
    public static async Task LoadAsync(string? endpoint, Stream archive, CancellationToken cancellationToken, IBuildLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(archive);
        (DockerClient client, EngineEndpoint resolved) = await EngineConnection.OpenAsync(
            endpoint, PyContainer.Docker.DockerConfig.FromEnvironment(Environment.GetEnvironmentVariable), cancellationToken);
        using (client)
        {
            await LoadAsync(client, resolved.Address, archive, cancellationToken, log);
        }
    }

    /// <summary>Loads the archive through <paramref name="client"/>; <paramref name="engineName"/> names the engine in errors.</summary>
    public static async Task LoadAsync(IDockerClient client, string engineName, Stream archive, CancellationToken cancellationToken, IBuildLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(archive);
        var progress = new ProgressCollector(log);
        try
        {
            await client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = false }, archive, progress, cancellationToken);
        }
        catch (DockerApiException e)
        {
            // The engine ends some messages with ":" (an empty cause); the catalogue text adds its own full stop.
            throw Errors.Create(Errors.EngineLoadFailed, e, engineName, DockerEngine.ErrorMessageOf(e).Trim().TrimEnd(':', '.'));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
        {
            throw Errors.Create(Errors.EngineLoadFailed, e, engineName, e.GetBaseException().Message);
        }

        if (progress.Error is { } error)
        {
            throw Errors.Create(Errors.EngineLoadFailed, engineName, error);
        }
    }

    /// <summary>
    /// Keeps the first error of the engine's JSON progress and passes its other lines on (reported synchronously:
    /// Progress&lt;T&gt; would post them to the thread pool, after the load returned).
    /// </summary>
    private sealed class ProgressCollector(IBuildLog? log) : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            string? message = value.Error?.Message;
            if (!string.IsNullOrWhiteSpace(message))
            {
                Error ??= message.Trim().TrimEnd(':', '.');
            }
            else if (value.Stream?.Trim() is { Length: > 0 } line)
            {
                log?.Info(line);
            }
        }
    }
}
