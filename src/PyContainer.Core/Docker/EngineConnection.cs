using Docker.DotNet;
using Docker.DotNet.NativeHttp;
using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>
/// Opens a Docker Engine API client: resolves the endpoint (<see cref="EngineEndpoint.Resolve(string?, Func{string, string?}, DockerConfig, string)"/>),
/// checks its form, sets up TLS with a client certificate when the endpoint needs it, and pings the engine,
/// so that an engine that is absent or refuses the certificate is PYC3001 before any work.
/// </summary>
internal static class EngineConnection
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(15);

    public static async Task<(DockerClient Client, EngineEndpoint Endpoint)> OpenAsync(string? property, DockerConfig config, CancellationToken cancellationToken)
    {
        EngineEndpoint resolved = EngineEndpoint.Resolve(property, Environment.GetEnvironmentVariable, config);
        EngineEndpointCheck.Validate(resolved);
        if (EngineEndpointCheck.SocketPath(resolved) is { } socket && !File.Exists(socket))
        {
            // Connecting would say "Cannot assign requested address" (or "No such file"): say what is missing.
            throw Errors.Create(Errors.EngineUnreachable, resolved.Address, resolved.Source, $"no socket exists at {socket}");
        }

        DockerClient client = Create(resolved);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PingTimeout);
            await client.System.PingAsync(timeout.Token);
            return (client, resolved);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not PyContainerException)
        {
            client.Dispose();
            throw Errors.Create(Errors.EngineUnreachable, e, resolved.Address, resolved.Source, e.GetBaseException().Message);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static DockerClient Create(EngineEndpoint endpoint)
    {
        try
        {
            var builder = new DockerClientBuilder()
                .WithEndpoint(new Uri(endpoint.Address))
                // Builds and pushes stream for minutes; cancellation, not a timeout, ends them.
                .WithTimeout(Timeout.InfiniteTimeSpan);
            return endpoint.TlsCertificateDirectory is { } certificates
                // SocketsHttpHandler carries the client certificate; the auth provider switches the scheme to https.
                ? builder.WithAuthProvider(TlsClientAuthProvider.Load(endpoint.Address, certificates))
                    .WithTransportOptions(new NativeHttpTransportOptions())
                    .Build()
                : builder.Build();
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw Errors.Create(Errors.EngineUnreachable, e, endpoint.Address, endpoint.Source, e.Message);
        }
    }
}
