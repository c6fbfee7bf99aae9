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

    // Longer than ssh's own ConnectTimeout=30, so that an unreachable ssh host is ssh's message, not ours.
    private static readonly TimeSpan SshPingTimeout = TimeSpan.FromSeconds(40);

    public static async Task<(DockerClient Client, EngineEndpoint Endpoint)> OpenAsync(string? property, DockerConfig config, CancellationToken cancellationToken)
    {
        EngineEndpoint resolved = EngineEndpoint.Resolve(property, Environment.GetEnvironmentVariable, config);
        EngineEndpointCheck.Validate(resolved);
        if (EngineEndpointCheck.SocketPath(resolved) is { } socket && !File.Exists(socket))
        {
            // Connecting would say "Cannot assign requested address" (or "No such file"): say what is missing.
            throw Errors.Create(Errors.EngineUnreachable, resolved.Address, resolved.Source, $"no socket exists at {socket}");
        }

        SshEngineAddress? ssh = resolved.Address.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) ? SshEngineAddress.Parse(resolved) : null;
        SshDialer? dialer = ssh is null ? null : new SshDialer(ssh);
        DockerClient client = Create(resolved, dialer);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ssh is null ? PingTimeout : SshPingTimeout);
            await client.System.PingAsync(timeout.Token);
            return (client, resolved);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not PyContainerException)
        {
            client.Dispose();
            throw ssh is not null && dialer?.LastFailure is { } failure
                ? Errors.Create(Errors.SshEngineUnreachable, e, resolved.Address, resolved.Source, failure, ssh.CommandLine())
                : Errors.Create(Errors.EngineUnreachable, e, resolved.Address, resolved.Source, e.GetBaseException().Message);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static DockerClient Create(EngineEndpoint endpoint, SshDialer? ssh)
    {
        try
        {
            var builder = new DockerClientBuilder()
                // Over ssh the HTTP address is a placeholder: every connection is an ssh process (SshDialer).
                .WithEndpoint(new Uri(ssh is null ? endpoint.Address : "http://docker-over-ssh"))
                // Builds and pushes stream for minutes; cancellation, not a timeout, ends them.
                .WithTimeout(Timeout.InfiniteTimeSpan);
            if (ssh is not null)
            {
                return builder.WithTransportOptions(new NativeHttpTransportOptions { ConfigureHandler = handler => handler.ConnectCallback = ssh.ConnectAsync })
                    .Build();
            }

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
