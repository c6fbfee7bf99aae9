using PyContainer.Diagnostics;

namespace PyContainer.Registry;

/// <summary>How a <see cref="RegistryClient"/> talks to its registry. Every setting has a default that works.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>How long a request may wait for the registry's answer (its headers); blob bodies stream without one.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long opening a connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of a request that fails for a passing reason (5xx, 429, a broken connection); 1 never retries.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The wait before the first retry; each further retry waits twice as long (or what Retry-After asks).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Blobs larger than this go up in chunks (PATCH with Content-Range) of this size; null (the default) sends every
    /// blob in one PUT. A registry's OCI-Chunk-Min-Length raises the size.
    /// </summary>
    public long? ChunkSize { get; init; }

    /// <summary>
    /// Folders with a &lt;host[:port]&gt;/ subfolder of extra trusted CAs (*.crt) and client certificates
    /// (*.cert + *.key), as docker reads them. Defaults: /etc/docker/certs.d, the rootless
    /// $XDG_CONFIG_HOME/docker/certs.d (~/.config/docker/certs.d), /etc/containers/certs.d (skopeo, podman).
    /// </summary>
    public IReadOnlyList<string> CertificateDirectories { get; init; } = DefaultCertificateDirectories();

    /// <summary>
    /// Registries (host[:port]) that may be spoken to over plain http when https fails, as docker's
    /// insecure-registries. Loopback registries (localhost, 127.0.0.0/8, ::1) always may, as in docker.
    /// </summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>Where retries are reported; nothing is logged when null. Never receives a credential.</summary>
    public IBuildLog? Log { get; init; }

    /// <summary>The User-Agent header.</summary>
    public string UserAgent { get; init; } = "PyContainer/" + (typeof(RegistryClientOptions).Assembly.GetName().Version?.ToString(3) ?? "0");

    /// <summary>Tests only: the handler under the client instead of a real connection.</summary>
    internal HttpMessageHandler? Handler { get; init; }

    private static string[] DefaultCertificateDirectories()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".config");
        return OperatingSystem.IsWindows()
            ? [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "docker", "certs.d")]
            : ["/etc/docker/certs.d", Path.Combine(config, "docker", "certs.d"), "/etc/containers/certs.d"];
    }
}
