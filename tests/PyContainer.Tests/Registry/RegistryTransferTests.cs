using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using PyContainer.Diagnostics;
using PyContainer.Oci;
using PyContainer.Registry;
using static PyContainer.Tests.Registry.ScriptedRegistry;

namespace PyContainer.Tests.Registry;

public sealed class RegistryTransferTests
{
    private const string Manifest = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}""";
    private static readonly byte[] Blob = Encoding.ASCII.GetBytes("0123456789");
    private static readonly Descriptor BlobDescriptor = new(MediaTypes.OciLayerGzip, "sha256:" + Convert.ToHexString(SHA256.HashData(Blob)).ToLowerInvariant(), Blob.Length);

    private static string ManifestDigest => "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Manifest))).ToLowerInvariant();

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.9.9.9", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.com:5000", false)]
    [InlineData("10.0.0.1:5000", false)]
    [InlineData("localhost.example.com", false)]
    public void Loopback_registries_are_the_ones_docker_treats_as_insecure(string registry, bool loopback)
    {
        Assert.Equal(loopback, RegistryClient.IsLoopback(registry));
    }

    [Fact]
    public async Task A_loopback_registry_whose_https_fails_is_spoken_to_over_http()
    {
        using var handler = new ScriptedRegistry((request, _) => request.RequestUri!.Scheme == "https"
            ? throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established")
            : Answer(HttpStatusCode.OK, Manifest, MediaTypes.OciManifest));
        using RegistryClient client = handler.Client("localhost:5000");

        await client.GetManifestAsync("a", "1", default);

        Assert.Equal(new Uri("http://localhost:5000/"), client.BaseUri);
        Assert.Equal(1, handler.Requests.Count(r => r.Uri.Scheme == "https")); // not retried: TLS failures do not pass
    }

    [Fact]
    public async Task Any_other_registry_whose_https_fails_is_PYC4006_without_trying_http()
    {
        using var handler = new ScriptedRegistry((_, _) => throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The remote certificate is invalid"));
        using RegistryClient client = handler.Client("registry.example.com");

        var e = await Assert.ThrowsAsync<PyContainerException>(() => client.GetManifestAsync("a", "1", default));

        Assert.Equal(Errors.RegistryRequestFailed, e.Code);
        Assert.Contains("The remote certificate is invalid", e.Message, StringComparison.Ordinal);
        Assert.All(handler.Requests, r => Assert.Equal("https", r.Uri.Scheme));
    }

    [Fact]
    public async Task Passing_failures_are_retried_and_a_refused_connection_is_not()
    {
        int calls = 0;
        using var flaky = new ScriptedRegistry((request, _) => request.RequestUri!.AbsolutePath == "/v2/" ? Answer(HttpStatusCode.OK)
            : ++calls switch
            {
                1 => Answer(HttpStatusCode.ServiceUnavailable),
                2 => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
                _ => Answer(HttpStatusCode.OK, Manifest, MediaTypes.OciManifest),
            });
        using RegistryClient client = flaky.Client("reg.test");
        using var refused = new ScriptedRegistry((_, _) => throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));
        using RegistryClient down = refused.Client("reg.test");

        ManifestResponse manifest = await client.GetManifestAsync("a", ManifestDigest, default);
        var e = await Assert.ThrowsAsync<PyContainerException>(() => down.GetManifestAsync("a", "1", default));

        Assert.Equal(ManifestDigest, manifest.Digest);
        Assert.Equal(3, calls);
        Assert.Equal(Errors.RegistryRequestFailed, e.Code);
        Assert.Single(refused.Requests);
    }

    [Fact]
    public async Task A_missing_manifest_is_PYC4006_with_the_registry_error_text_and_not_retried()
    {
        using var handler = new ScriptedRegistry((request, _) => request.RequestUri!.AbsolutePath == "/v2/" ? Answer(HttpStatusCode.OK)
            : Answer(HttpStatusCode.NotFound, """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"9"}}]}"""));
        using RegistryClient client = handler.Client("reg.test");

        var e = await Assert.ThrowsAsync<PyContainerException>(() => client.GetManifestAsync("team/app", "9", default));

        Assert.Equal(Errors.RegistryRequestFailed, e.Code);
        Assert.Equal("The registry 'reg.test' failed the request for the manifest '9' of the repository 'team/app': HTTP 404 Not Found: MANIFEST_UNKNOWN: manifest unknown. "
            + "Check the image reference (ContainerBaseImage, or ContainerRegistry and ContainerRepository) and that the registry is running.", e.Message);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Null(await client.FindManifestDigestAsync("team/app", "9", default));
    }

    [Fact]
    public async Task A_manifest_asked_for_by_digest_must_have_that_digest()
    {
        using var handler = new ScriptedRegistry((_, _) => Answer(HttpStatusCode.OK, Manifest, MediaTypes.OciManifest));
        using RegistryClient client = handler.Client("reg.test");
        string other = "sha256:" + new string('e', 64);

        var e = await Assert.ThrowsAsync<PyContainerException>(() => client.GetManifestAsync("a", other, default));

        Assert.Equal(Errors.RegistryRequestFailed, e.Code);
        Assert.Contains(ManifestDigest, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_redirect_to_storage_is_followed_without_the_registry_credentials()
    {
        using var handler = new ScriptedRegistry((request, _) =>
        {
            if (request.RequestUri!.Host == "storage.test")
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Blob) };
            }

            if (request.Headers.Authorization is null)
            {
                return Challenge("Basic realm=r");
            }

            var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
            redirect.Headers.Location = new Uri("https://storage.test/blob?sig=1");
            return redirect;
        });
        using RegistryClient client = handler.Client("reg.test", new("reg.test", "test", "u", "p"));

        await using Stream stream = await client.GetBlobAsync("a", BlobDescriptor.Digest, default);
        using var read = new MemoryStream();
        await stream.CopyToAsync(read);

        Assert.Equal(Blob, read.ToArray());
        Assert.Null(handler.Requests.Single(r => r.Uri.Host == "storage.test").Authorization);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4L)]
    public async Task Uploads_follow_relative_locations_monolithic_or_in_chunks(long? chunkSize)
    {
        var uploaded = new MemoryStream();
        int session = 0;
        using var handler = new ScriptedRegistry((request, body) =>
        {
            string path = request.RequestUri!.AbsolutePath;
            var response = new HttpResponseMessage(HttpStatusCode.Accepted);
            if (request.Method == HttpMethod.Post)
            {
                response.Headers.Location = new Uri($"/v2/a/blobs/uploads/u{++session}?_state=s0", UriKind.Relative);
            }
            else if (request.Method == HttpMethod.Patch)
            {
                uploaded.Write(body!);
                response.Headers.Location = new Uri($"/v2/a/blobs/uploads/u{session}?_state=s{uploaded.Length}", UriKind.Relative);
            }
            else if (request.Method == HttpMethod.Put)
            {
                uploaded.Write(body!);
                response.StatusCode = HttpStatusCode.Created;
                response.Headers.TryAddWithoutValidation("Docker-Content-Digest", BlobDescriptor.Digest);
            }
            else
            {
                response.StatusCode = HttpStatusCode.OK;
            }

            return response;
        });
        using RegistryClient client = handler.Client("reg.test", chunkSize: chunkSize);

        await client.UploadBlobAsync("a", BlobDescriptor, () => new MemoryStream(Blob), default);

        Assert.Equal(Blob, uploaded.ToArray());
        SeenRequest put = handler.Requests.Single(r => r.Method == HttpMethod.Put);
        Assert.Equal($"?_state=s{(chunkSize is null ? 0 : 10)}&digest=" + BlobDescriptor.Digest.Replace(":", "%3A", StringComparison.Ordinal), put.Uri.Query);
        Assert.Equal(
            chunkSize is null ? [] : ["0-3", "4-7", "8-9"],
            handler.Requests.Where(r => r.Method == HttpMethod.Patch).Select(r => r.ContentRange));
        Assert.All(handler.Requests.Where(r => r.Body is { Length: > 0 }), r => Assert.Equal("application/octet-stream", r.ContentType));
    }

    [Fact]
    public async Task A_broken_upload_starts_over_and_the_broken_session_is_cancelled()
    {
        int puts = 0;
        int opened = 0;
        using var handler = new ScriptedRegistry((request, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Accepted);
            if (request.Method == HttpMethod.Post)
            {
                response.Headers.Location = new Uri("https://reg.test/v2/a/blobs/uploads/x");
            }
            else if (request.Method == HttpMethod.Put)
            {
                response.StatusCode = ++puts == 1 ? HttpStatusCode.BadGateway : HttpStatusCode.Created;
            }
            else
            {
                response.StatusCode = HttpStatusCode.NoContent;
            }

            return response;
        });
        using RegistryClient client = handler.Client("reg.test");

        await client.UploadBlobAsync("a", BlobDescriptor, () => { opened++; return new MemoryStream(Blob); }, default);

        Assert.Equal(2, puts);
        Assert.Equal(2, opened);
        Assert.Equal(2, handler.Requests.Count(r => r.Method == HttpMethod.Post));
        Assert.Single(handler.Requests, r => r.Method == HttpMethod.Delete);
    }

    [Theory]
    [InlineData(HttpStatusCode.Created, true)]
    [InlineData(HttpStatusCode.Accepted, false)]
    public async Task A_mount_that_starts_an_upload_instead_cancels_it(HttpStatusCode answer, bool mounted)
    {
        using var handler = new ScriptedRegistry((request, _) =>
        {
            if (request.Method != HttpMethod.Post)
            {
                return Answer(request.Method == HttpMethod.Delete ? HttpStatusCode.NoContent : HttpStatusCode.OK);
            }

            var response = new HttpResponseMessage(answer);
            response.Headers.Location = new Uri("/v2/to/blobs/uploads/abc", UriKind.Relative);
            return response;
        });
        using RegistryClient client = handler.Client("reg.test");

        bool result = await client.TryMountBlobAsync("to", BlobDescriptor.Digest, "from/base", default);

        Assert.Equal(mounted, result);
        SeenRequest post = handler.Requests.Single(r => r.Method == HttpMethod.Post);
        Assert.Equal("?mount=" + BlobDescriptor.Digest.Replace(":", "%3A", StringComparison.Ordinal) + "&from=from%2Fbase", post.Uri.Query);
        Assert.Equal(mounted ? 0 : 1, handler.Requests.Count(r => r.Method == HttpMethod.Delete && r.Uri.AbsolutePath == "/v2/to/blobs/uploads/abc"));
    }

    [Fact]
    public async Task PutManifest_sends_the_media_type_and_returns_the_digest()
    {
        using var handler = new ScriptedRegistry((_, _) => Answer(HttpStatusCode.Created));
        using RegistryClient client = handler.Client("reg.test");

        string digest = await client.PutManifestAsync("a", "v1", MediaTypes.OciManifest, Encoding.UTF8.GetBytes(Manifest), default);

        Assert.Equal(ManifestDigest, digest);
        SeenRequest put = handler.Requests.Single(r => r.Method == HttpMethod.Put);
        Assert.Equal("/v2/a/manifests/v1", put.Uri.AbsolutePath);
        Assert.Equal(MediaTypes.OciManifest, put.ContentType);
    }

    [Fact]
    public async Task A_blob_source_that_cannot_be_opened_fails_with_its_own_exception_and_is_not_retried()
    {
        using var handler = new ScriptedRegistry((request, _) =>
        {
            var response = new HttpResponseMessage(request.Method == HttpMethod.Post ? HttpStatusCode.Accepted : HttpStatusCode.OK);
            response.Headers.Location = new Uri("/v2/a/blobs/uploads/x", UriKind.Relative);
            return response;
        });
        using RegistryClient client = handler.Client("reg.test");

        await Assert.ThrowsAsync<FileNotFoundException>(() => client.UploadBlobAsync("a", BlobDescriptor, () => File.OpenRead(Path.Combine(Path.GetTempPath(), "absent-" + Guid.NewGuid().ToString("N") + ".tar.gz")), default));

        Assert.Single(handler.Requests, r => r.Method == HttpMethod.Post);
        Assert.DoesNotContain(handler.Requests, r => r.Method == HttpMethod.Put);
        Assert.Single(handler.Requests, r => r.Method == HttpMethod.Delete); // the started upload is cancelled
    }
}
