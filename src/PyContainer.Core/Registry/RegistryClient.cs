using System.Net;
using System.Net.Http.Headers;
using PyContainer.Diagnostics;
using PyContainer.Images;
using PyContainer.Model;
using PyContainer.Oci;

namespace PyContainer.Registry;

/// <summary>
/// A client of one registry's HTTP API (OCI distribution spec, Docker Registry API v2), with no engine: manifests,
/// blobs, cross-repository mounts and uploads. It first asks /v2/ over https (http for a loopback or insecure
/// registry that fails https, as docker does), learning how the registry authenticates; credentials are looked up
/// only when it asks for them. Failures are PYC4006 (the request failed) and PYC4008 (credentials refused).
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    /// <summary>The spec's limit on manifest size; a bigger answer is not a manifest.</summary>
    private const int MaxManifestSize = 4 * 1024 * 1024;

    private static readonly string[] ManifestTypes = [MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest];

    private readonly RegistryClientOptions _options;
    private readonly RegistryTransport _transport;
    private readonly RegistryAuthenticator _auth;
    private readonly SemaphoreSlim _pingGate = new(1, 1);
    private Uri? _base;

    private RegistryClient(string registry, Func<string, RegistryCredential> credentials, RegistryClientOptions options)
    {
        Registry = registry;
        _options = options;
        _transport = new RegistryTransport(registry, options);
        _auth = new RegistryAuthenticator(_transport, credentials);
    }

    /// <summary>The registry's host[:port]; Docker Hub as <see cref="RemoteImage.DockerHubRegistry"/>.</summary>
    public string Registry { get; }

    /// <summary>The scheme and host the client settled on after its first request (https://host/ or http://host/).</summary>
    public Uri? BaseUri => _base;

    /// <param name="registry">host[:port]; docker.io and index.docker.io mean Docker Hub.</param>
    /// <param name="credentials">Called with the registry host when the registry first asks for credentials.</param>
    public static RegistryClient For(string registry, Func<string, RegistryCredential> credentials, RegistryClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!RegistryName.IsValid(registry))
        {
            throw new ArgumentException($"'{registry}' is not a registry host[:port].", nameof(registry));
        }

        string host = RemoteImage.IsDockerHub(registry) ? RemoteImage.DockerHubRegistry : registry;
        try
        {
            return new RegistryClient(host, credentials, options ?? new RegistryClientOptions());
        }
        catch (Exception e) when (RegistryTrust.IsLoadFailure(e))
        {
            throw RegistryFailures.Failed(host, new RegistryOperation("(any)", "the TLS setup"), "a certificate in its certs.d folder cannot be read: " + e.Message, e);
        }
    }

    /// <summary>The manifest or index <paramref name="reference"/> (tag or digest) names; a digest is verified.</summary>
    public async Task<ManifestResponse> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var operation = new RegistryOperation(repository, $"the request for the manifest '{reference}'");
        using HttpResponseMessage response = await SendAsync(operation, Pull(repository), b => ManifestRequest(HttpMethod.Get, b, repository, reference), retry: true, timed: true, cancellationToken);
        await ExpectAsync(response, operation, cancellationToken, HttpStatusCode.OK);
        byte[] content = await ReadBoundedAsync(response, operation, cancellationToken);
        string mediaType = ManifestMediaType(response, content, operation);
        string digest = RegistryDigest.Sha256(content);
        if (RegistryDigest.IsDigest(reference) && !string.Equals(digest, reference, StringComparison.Ordinal))
        {
            throw RegistryFailures.Failed(Registry, operation, $"the manifest it sent has the digest {digest}, not the one asked for");
        }

        return new ManifestResponse(mediaType, digest, content);
    }

    /// <summary>The digest of the manifest <paramref name="tag"/> names (HEAD), or null when the registry has no such tag.</summary>
    public async Task<string?> FindManifestDigestAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var operation = new RegistryOperation(repository, $"the lookup of the manifest '{tag}'");
        using (HttpResponseMessage response = await SendAsync(operation, Pull(repository), b => ManifestRequest(HttpMethod.Head, b, repository, tag), retry: true, timed: true, cancellationToken))
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            await ExpectAsync(response, operation, cancellationToken, HttpStatusCode.OK);
            if (response.Headers.TryGetValues("Docker-Content-Digest", out IEnumerable<string>? values)
                && values.FirstOrDefault() is { } digest && RegistryDigest.IsSha256(digest))
            {
                return digest;
            }
        }

        // No (sha256) digest header: the manifest's own bytes say it.
        return (await GetManifestAsync(repository, tag, cancellationToken)).Digest;
    }

    /// <summary>
    /// The blob's content, streamed (redirects to blob storage followed); the caller disposes it and checks the
    /// digest of what it read.
    /// </summary>
    public async Task<Stream> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        CheckDigest(digest);
        var operation = new RegistryOperation(repository, $"the download of the blob {digest}");
        HttpResponseMessage response = await SendAsync(operation, Pull(repository), b => new HttpRequestMessage(HttpMethod.Get, BlobUri(b, repository, digest)), retry: true, timed: true, cancellationToken);
        try
        {
            await ExpectAsync(response, operation, cancellationToken, HttpStatusCode.OK);
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>True when the repository has the blob (HEAD).</summary>
    public async Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        CheckDigest(digest);
        var operation = new RegistryOperation(repository, $"the lookup of the blob {digest}");
        using HttpResponseMessage response = await SendAsync(operation, Pull(repository), b => new HttpRequestMessage(HttpMethod.Head, BlobUri(b, repository, digest)), retry: true, timed: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await ExpectAsync(response, operation, cancellationToken, HttpStatusCode.OK);
        return true;
    }

    public void Dispose()
    {
        _auth.Dispose();
        _transport.Dispose();
        _pingGate.Dispose();
    }

    private static string[] Pull(string repository) => [$"repository:{repository}:pull"];

    private static string[] Push(string repository) => [$"repository:{repository}:pull,push"];

    private static Uri BlobUri(Uri baseUri, string repository, string digest) => new(baseUri, $"v2/{repository}/blobs/{digest}");

    private static HttpRequestMessage ManifestRequest(HttpMethod method, Uri baseUri, string repository, string reference)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUri, $"v2/{repository}/manifests/{reference}"));
        foreach (string type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return request;
    }

    private static void CheckDigest(string digest)
    {
        if (!RegistryDigest.IsSha256(digest))
        {
            throw new ArgumentException($"'{digest}' is not a sha256 digest.", nameof(digest));
        }
    }

    /// <summary>The Content-Type when it is a manifest type, else the body's mediaType; schema 1 and others are refused.</summary>
    private string ManifestMediaType(HttpResponseMessage response, byte[] content, RegistryOperation operation)
    {
        string? type = response.Content.Headers.ContentType?.MediaType;
        if (type is null || !ManifestTypes.Contains(type, StringComparer.Ordinal))
        {
            type = ManifestJson.MediaTypeOf(content) ?? type;
        }

        return type is not null && ManifestTypes.Contains(type, StringComparer.Ordinal)
            ? type
            : throw RegistryFailures.Failed(Registry, operation, $"it sent a manifest of type '{type ?? "none"}', not an OCI or Docker v2 schema 2 manifest or index (an image pushed as schema 1 must be pushed again by a current docker)");
    }

    private async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, RegistryOperation operation, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxManifestSize)
        {
            throw RegistryFailures.Failed(Registry, operation, $"the manifest is {response.Content.Headers.ContentLength} bytes, more than the {MaxManifestSize} a manifest may have");
        }

        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxManifestSize)
            {
                throw RegistryFailures.Failed(Registry, operation, $"the manifest is more than the {MaxManifestSize} bytes a manifest may have");
            }
        }

        return buffer.ToArray();
    }

    private async Task ExpectAsync(HttpResponseMessage response, RegistryOperation operation, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        if (!expected.Contains(response.StatusCode))
        {
            throw RegistryFailures.Failed(Registry, operation, await RegistryFailures.DescribeAsync(response, cancellationToken));
        }
    }
}
