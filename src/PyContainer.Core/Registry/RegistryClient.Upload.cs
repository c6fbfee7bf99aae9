using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using PyContainer.Diagnostics;
using PyContainer.Oci;

namespace PyContainer.Registry;

public sealed partial class RegistryClient
{
    private const string OctetStream = "application/octet-stream";

    /// <summary>
    /// Mounts the blob from another repository of the same registry. False when the registry started an upload
    /// instead (it does not have the blob there, or may not mount it): that upload is cancelled.
    /// </summary>
    public async Task<bool> TryMountBlobAsync(string repository, string digest, string fromRepository, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(fromRepository);
        CheckDigest(digest);
        var operation = new RegistryOperation(repository, $"the mount of the blob {digest} from '{fromRepository}'");
        string query = "mount=" + Uri.EscapeDataString(digest) + "&from=" + Uri.EscapeDataString(fromRepository);
        using HttpResponseMessage response = await SendAsync(
            operation,
            [.. Push(repository), .. Pull(fromRepository)],
            b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"v2/{repository}/blobs/uploads/?{query}")),
            retry: true,
            timed: true,
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        await ExpectAsync(response, operation, cancellationToken, HttpStatusCode.Accepted);
        if (response.Headers.Location is { } location)
        {
            await CancelUploadAsync(repository, Resolve(response, location), cancellationToken);
        }

        return false;
    }

    /// <summary>
    /// Uploads the blob: POST, then one streamed PUT, or PATCH chunks of <see cref="RegistryClientOptions.ChunkSize"/>
    /// and a closing PUT. <paramref name="open"/> is called for every attempt (a broken upload starts over) and its
    /// stream is read once, never held in memory. The registry checks the digest and size.
    /// </summary>
    public async Task UploadBlobAsync(string repository, Descriptor blob, Func<Stream> open, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(open);
        CheckDigest(blob.Digest);
        var operation = new RegistryOperation(repository, $"the upload of the blob {blob.Digest} ({blob.Size} bytes)");
        try
        {
            await UploadAsync(repository, operation, blob, Guarded(open), cancellationToken);
        }
        catch (BlobSourceException e)
        {
            // The caller's file, not the network: its own exception, never retried as a network failure.
            ExceptionDispatchInfo.Throw(e.InnerException!);
        }
    }

    private async Task UploadAsync(string repository, RegistryOperation operation, Descriptor blob, Func<Stream> open, CancellationToken cancellationToken)
    {
        int attempts = Math.Max(1, _options.MaxAttempts);
        for (int attempt = 1; ; attempt++)
        {
            (Uri location, long minimumChunk) = await StartUploadAsync(repository, operation, cancellationToken);
            try
            {
                long? chunk = _options.ChunkSize is { } size ? Math.Max(size, minimumChunk) : null;
                if (chunk is { } c && blob.Size > c)
                {
                    await UploadChunksAsync(repository, operation, location, blob, open, c, cancellationToken);
                }
                else
                {
                    await CompleteAsync(repository, operation, location, blob, () => Body(open(), blob.Size), cancellationToken);
                }

                return;
            }
            catch (BlobSourceException)
            {
                await CancelUploadAsync(repository, location, cancellationToken);
                throw;
            }
            catch (UploadBrokeException broke) when (attempt < attempts)
            {
                await CancelUploadAsync(repository, broke.Location, cancellationToken);
                TimeSpan wait = _options.RetryDelay * Math.Pow(2, attempt - 1);
                _options.Log?.Info(string.Create(CultureInfo.InvariantCulture,
                    $"  Registry {Registry}: {operation.What} to {repository} broke off ({broke.Message}); starting over in {wait.TotalSeconds:0.#} s (attempt {attempt + 1} of {attempts})."));
                await Task.Delay(wait, cancellationToken);
            }
            catch (UploadBrokeException broke)
            {
                await CancelUploadAsync(repository, broke.Location, cancellationToken);
                throw broke.Failure;
            }
        }
    }

    /// <summary>Puts a manifest (or index) under <paramref name="tag"/> (or its digest) and returns its digest.</summary>
    public async Task<string> PutManifestAsync(string repository, string tag, string mediaType, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        ArgumentNullException.ThrowIfNull(content);
        string digest = RegistryDigest.Sha256(content);
        var operation = new RegistryOperation(repository, $"the push of the manifest '{tag}' ({digest})");
        using HttpResponseMessage response = await SendAsync(operation, Push(repository), b =>
        {
            var body = new ByteArrayContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, new Uri(b, $"v2/{repository}/manifests/{tag}")) { Content = body };
        }, retry: true, timed: true, cancellationToken);
        await ExpectAsync(response, operation, cancellationToken, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Accepted);
        CheckReportedDigest(response, operation, digest);
        return digest;
    }

    private async Task<(Uri Location, long MinimumChunk)> StartUploadAsync(string repository, RegistryOperation operation, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(operation, Push(repository), b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"v2/{repository}/blobs/uploads/")), retry: true, timed: true, cancellationToken);
        await ExpectAsync(response, operation, cancellationToken, HttpStatusCode.Accepted);
        Uri location = response.Headers.Location is { } l ? Resolve(response, l)
            : throw RegistryFailures.Failed(Registry, operation, "it started an upload but sent no Location for it");
        long minimum = response.Headers.TryGetValues("OCI-Chunk-Min-Length", out IEnumerable<string>? values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out long m) ? m : 0;
        return (location, minimum);
    }

    private async Task UploadChunksAsync(string repository, RegistryOperation operation, Uri location, Descriptor blob, Func<Stream> open, long chunkSize, CancellationToken cancellationToken)
    {
        await using Stream content = open();
        for (long offset = 0; offset < blob.Size; offset += chunkSize)
        {
            long length = Math.Min(chunkSize, blob.Size - offset);
            long start = offset;
            Uri at = location;
            bool made = false;
            // The body reads on from the one stream: a chunk can only go once, so a failure starts the upload over.
            using HttpResponseMessage response = await SendUploadAsync(operation, at, Push(repository), b =>
            {
                if (made)
                {
                    // Asked to send it again (credentials refused mid-upload): the stream has moved on.
                    throw new UploadBrokeException(location, RegistryFailures.Failed(Registry, operation, "the registry asked for credentials again in the middle of the upload"));
                }

                made = true;
                var request = new HttpRequestMessage(HttpMethod.Patch, at) { Content = Body(new SubStream(content, length), length) };
                request.Content.Headers.TryAddWithoutValidation("Content-Range", string.Create(CultureInfo.InvariantCulture, $"{start}-{start + length - 1}"));
                return request;
            }, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await BrokeAsync(response, operation, location, cancellationToken);
            }

            location = response.Headers.Location is { } next ? Resolve(response, next) : location;
        }

        await CompleteAsync(repository, operation, location, blob, () => Body(Stream.Null, 0), cancellationToken);
    }

    /// <summary>The closing PUT ?digest=, with the whole blob or (after chunks) nothing.</summary>
    private async Task CompleteAsync(string repository, RegistryOperation operation, Uri location, Descriptor blob, Func<HttpContent> body, CancellationToken cancellationToken)
    {
        Uri target = WithQuery(location, "digest", blob.Digest);
        using HttpResponseMessage response = await SendUploadAsync(operation, location, Push(repository), _ => new HttpRequestMessage(HttpMethod.Put, target) { Content = body() }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await BrokeAsync(response, operation, location, cancellationToken);
        }

        CheckReportedDigest(response, operation, blob.Digest);
    }

    /// <summary>An upload request: never retried by itself (its body is read once), a failure breaks the upload.</summary>
    private async Task<HttpResponseMessage> SendUploadAsync(RegistryOperation operation, Uri location, IReadOnlyList<string> scopes, Func<Uri, HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(operation, scopes, create, retry: false, timed: false, cancellationToken);
        }
        catch (PyContainerException e) when (e.Code == Errors.RegistryRequestFailed && e.InnerException is { } inner && RegistryFailures.IsPassing(inner))
        {
            throw new UploadBrokeException(location, e);
        }
    }

    /// <summary>A 5xx or 416 (the registry lost track of the offset) starts over; anything else is final.</summary>
    private async Task<Exception> BrokeAsync(HttpResponseMessage response, RegistryOperation operation, Uri location, CancellationToken cancellationToken)
    {
        PyContainerException failure = RegistryFailures.Failed(Registry, operation, await RegistryFailures.DescribeAsync(response, cancellationToken));
        bool passing = RegistryFailures.IsPassing(response.StatusCode) || response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable;
        return passing ? new UploadBrokeException(location, failure) : failure;
    }

    private async Task CancelUploadAsync(string repository, Uri location, CancellationToken cancellationToken)
    {
        // Best effort: a registry forgets abandoned uploads anyway, and a failed cancel must not hide the real outcome.
        try
        {
            var operation = new RegistryOperation(repository, "the cancel of an upload");
            using HttpResponseMessage response = await SendAsync(operation, Push(repository), _ => new HttpRequestMessage(HttpMethod.Delete, location), retry: false, timed: true, cancellationToken);
        }
        catch (PyContainerException e)
        {
            _options.Log?.Detail($"  Registry {Registry}: cancelling an upload to {repository} failed: {e.Message}");
        }
    }

    private void CheckReportedDigest(HttpResponseMessage response, RegistryOperation operation, string digest)
    {
        if (response.Headers.TryGetValues("Docker-Content-Digest", out IEnumerable<string>? values)
            && values.FirstOrDefault() is { } reported && RegistryDigest.IsSha256(reported) && !string.Equals(reported, digest, StringComparison.Ordinal))
        {
            throw RegistryFailures.Failed(Registry, operation, $"it stored the content as {reported}, not {digest}");
        }
    }

    private static StreamContent Body(Stream stream, long length)
    {
        var content = new StreamContent(stream, 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        content.Headers.ContentLength = length;
        return content;
    }

    /// <summary>A Location may be relative to the request that got it.</summary>
    private static Uri Resolve(HttpResponseMessage response, Uri location) =>
        location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);

    private static Uri WithQuery(Uri uri, string name, string value)
    {
        string query = uri.Query.TrimStart('?');
        string added = name + "=" + Uri.EscapeDataString(value);
        return new UriBuilder(uri) { Query = query.Length == 0 ? added : query + "&" + added }.Uri;
    }

    private static Func<Stream> Guarded(Func<Stream> open) => () =>
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BlobSourceException(e);
        }
    };

    /// <summary>Opening the blob's content failed: the caller's problem, carried past the network's retry logic.</summary>
    private sealed class BlobSourceException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>An upload that broke for a reason that may pass: the caller may start it over.</summary>
    private sealed class UploadBrokeException(Uri location, PyContainerException failure) : Exception(failure.Message, failure)
    {
        public Uri Location { get; } = location;

        public PyContainerException Failure { get; } = failure;
    }
}
