using System.Net;
using PyContainer.Daemonless;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;
using PyContainer.Tests.Oci;
using PyContainer.Tests.Registry;
using PyContainer.Tests.TestSupport;
using static PyContainer.Tests.Registry.ScriptedRegistry;

namespace PyContainer.Tests.Daemonless;

/// <summary>The push of a multi-platform image: platform by platform, a shared blob once, the index last under the tag.</summary>
public sealed class ImagePusherTests
{
    private readonly RecordingLog _log = new();

    [Fact]
    public async Task An_index_goes_platform_by_platform_then_under_its_tag_and_a_shared_blob_goes_once()
    {
        using var temp = new TempStore();
        (Descriptor index, Descriptor amd64, Descriptor arm64) = await ImageStoreIndexTests.PutTwoPlatformImageAsync(temp.Store);
        using ScriptedRegistry registry = EmptyRegistry();
        using RegistryClient client = registry.Client("reg.test");
        var pusher = new ImagePusher(temp.Store, new DownloadCache(Path.Combine(temp.Directory, "cache")), _ => client, _log);

        string digest = await pusher.PushAsync(index, client, ImageReference.Parse("reg.test/multi/app:1", "test"), CancellationToken.None);

        Assert.Equal(index.Digest, digest);
        OciManifest amd64Image = await temp.Store.ReadManifestAsync(amd64);
        OciManifest arm64Image = await temp.Store.ReadManifestAsync(arm64);
        string shared = amd64Image.Layers[1].Digest;
        Assert.Equal(shared, arm64Image.Layers[1].Digest);
        List<string> blobsChecked = [.. registry.Requests.Where(r => r.Method == HttpMethod.Head).Select(r => r.Uri.AbsolutePath.Split('/')[^1])];
        Assert.Equal(5, blobsChecked.Count);
        Assert.Single(blobsChecked, d => d == shared);
        Assert.Equal(5, registry.Requests.Count(r => r.Method == HttpMethod.Post));

        // Each platform manifest by digest after its own blobs, the index under the tag last.
        List<string> order = [.. registry.Requests.Where(r => r.Method == HttpMethod.Head || r.Uri.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal))
            .Select(r => r.Uri.AbsolutePath.Split('/')[^1])];
        Assert.Equal(
            [.. amd64Image.Layers.Append(amd64Image.Config).Select(d => d.Digest), amd64.Digest,
             arm64Image.Layers[0].Digest, arm64Image.Config.Digest, arm64.Digest, "1"],
            order);
        Assert.Equal(MediaTypes.OciIndex, registry.Requests.Last().ContentType);
        Assert.Contains(_log.Infos, l => l.Contains("an index of linux/amd64, linux/arm64/v8", StringComparison.Ordinal) && l.Contains("5 blobs uploaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_local_blobs_of_an_index_are_every_platforms()
    {
        using var temp = new TempStore();
        (Descriptor index, _, Descriptor arm64) = await ImageStoreIndexTests.PutTwoPlatformImageAsync(temp.Store);
        var pusher = new ImagePusher(temp.Store, new DownloadCache(Path.Combine(temp.Directory, "cache")), _ => throw new InvalidOperationException("no base to download"), _log);

        Func<string, Stream> blobs = await pusher.LocalBlobsAsync(index, CancellationToken.None);

        OciManifest arm64Image = await temp.Store.ReadManifestAsync(arm64);
        await using Stream config = blobs(arm64Image.Config.Digest);
        Assert.Equal(arm64Image.Config.Size, config.Length);
    }

    /// <summary>A registry that has no blob, accepts every upload and every manifest.</summary>
    private static ScriptedRegistry EmptyRegistry() => new((request, body) =>
    {
        string path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Head)
        {
            return Answer(HttpStatusCode.NotFound);
        }

        if (request.Method == HttpMethod.Post)
        {
            var started = new HttpResponseMessage(HttpStatusCode.Accepted);
            started.Headers.Location = new Uri(path + Guid.NewGuid().ToString("N"), UriKind.Relative);
            return started;
        }

        if (request.Method == HttpMethod.Put)
        {
            var created = new HttpResponseMessage(HttpStatusCode.Created);
            created.Headers.TryAddWithoutValidation("Docker-Content-Digest", path.Contains("/manifests/", StringComparison.Ordinal)
                ? Digests.Sha256(body!)
                : Uri.UnescapeDataString(request.RequestUri.Query.Split("digest=")[1]));
            return created;
        }

        return Answer(HttpStatusCode.OK);
    });
}
