using System.Text;
using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.Oci;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Oci;

/// <summary>The OCI image layout store: blobs by digest, names in index.json.</summary>
public sealed class ImageStoreTests
{
    [Fact]
    public async Task A_blob_is_stored_by_digest_in_an_OCI_layout()
    {
        using var temp = new TempStore();
        byte[] content = Encoding.UTF8.GetBytes("{}");

        Descriptor blob = await temp.Store.PutBlobAsync(MediaTypes.OciConfig, content, CancellationToken.None);

        Assert.Equal(new Descriptor(MediaTypes.OciConfig, Digests.Sha256(content), 2), blob);
        Assert.True(temp.Store.HasBlob(blob.Digest));
        Assert.Equal(Path.Combine(temp.Directory, "blobs", "sha256", Digests.Hex(blob.Digest)), temp.Store.BlobPath(blob.Digest));
        Assert.Equal(content, await temp.Store.ReadBlobAsync(blob.Digest, CancellationToken.None));
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(temp.Directory, "oci-layout")));
        Assert.Empty(temp.Store.ReadIndex().Manifests);
    }

    [Fact]
    public async Task A_stream_with_other_bytes_than_its_descriptor_is_PYC3022_and_stores_nothing()
    {
        using var temp = new TempStore();
        byte[] content = Encoding.UTF8.GetBytes("layer bytes");
        var expected = new Descriptor(MediaTypes.OciLayerGzip, Digests.Sha256(content), content.Length);

        Assert.Contains("The image content (blob sha256:", (await CodedAsync(Errors.OciContentInvalid, () => temp.Store.PutBlobAsync(expected, new MemoryStream(Encoding.UTF8.GetBytes("other bytes")), CancellationToken.None))).Message, StringComparison.Ordinal);
        await CodedAsync(Errors.OciContentInvalid, () => temp.Store.PutBlobAsync(expected, new MemoryStream(content[..5]), CancellationToken.None));
        await CodedAsync(Errors.OciContentInvalid, () => temp.Store.PutBlobAsync(expected, new MemoryStream([.. content, .. content]), CancellationToken.None));
        Assert.False(temp.Store.HasBlob(expected.Digest));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(temp.Directory, ".tmp")), f => !f.EndsWith(".lock", StringComparison.Ordinal));

        Assert.Equal(expected, await temp.Store.PutBlobAsync(expected, new MemoryStream(content), CancellationToken.None));
        Assert.True(temp.Store.HasBlob(expected.Digest));
    }

    [Fact]
    public async Task A_damaged_or_missing_blob_is_PYC3022_when_read()
    {
        using var temp = new TempStore();
        Descriptor blob = await temp.Store.PutBlobAsync(MediaTypes.OciConfig, Encoding.UTF8.GetBytes("{\"a\":1}"), CancellationToken.None);
        File.WriteAllText(temp.Store.BlobPath(blob.Digest), "{\"a\":2}");

        Assert.Contains("is not valid: the file", (await CodedAsync(Errors.OciContentInvalid, () => temp.Store.ReadBlobAsync(blob.Digest, CancellationToken.None))).Message, StringComparison.Ordinal);
        Coded.Throws(Errors.OciContentInvalid, () => temp.Store.OpenBlob(Digests.Sha256([9])));
    }

    [Fact]
    public async Task Tag_names_a_manifest_and_a_second_Tag_of_that_name_replaces_it()
    {
        using var temp = new TempStore();
        Descriptor first = await PutImageAsync(temp.Store, "one");
        Descriptor second = await PutImageAsync(temp.Store, "two");

        temp.Store.Tag("localhost:5000/app:1.0", first);
        temp.Store.Tag("localhost:5000/app:latest", first);
        temp.Store.Tag("localhost:5000/app:1.0", second);

        Assert.Equal(second.Digest, temp.Store.Find("localhost:5000/app:1.0")?.Digest);
        Assert.Equal(first.Digest, temp.Store.Find("localhost:5000/app:latest")?.Digest);
        Assert.Null(temp.Store.Find("localhost:5000/app:2.0"));
        Assert.Equal(2, temp.Store.ReadIndex().Manifests.Count);
        using JsonDocument index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(temp.Directory, "index.json")));
        Assert.Equal(
            ["localhost:5000/app:1.0", "localhost:5000/app:latest"],
            index.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("annotations").GetProperty(OciIndex.RefName).GetString()));
    }

    [Fact]
    public async Task FindByImageId_finds_a_named_manifest_by_its_config()
    {
        using var temp = new TempStore();
        Descriptor manifest = await PutImageAsync(temp.Store, "config-x");
        OciManifest parsed = await temp.Store.ReadManifestAsync(manifest);

        Assert.Null(temp.Store.FindByImageId(parsed.Config.Digest));
        temp.Store.Tag("app:1", manifest);
        Assert.Equal(manifest.Digest, temp.Store.FindByImageId(parsed.Config.Digest)?.Digest);
        Assert.Null(temp.Store.FindByImageId(Digests.Sha256([1])));
    }

    [Fact]
    public async Task Concurrent_tags_all_land_in_index_json()
    {
        using var temp = new TempStore();
        Descriptor manifest = await PutImageAsync(temp.Store, "c");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => new ImageStore(temp.Directory).Tag("app:" + i, manifest))));

        Assert.Equal(20, temp.Store.ReadIndex().Manifests.Count);
    }

    [Fact]
    public async Task RemoveUnreferencedBlobs_keeps_what_named_manifests_reach_and_young_blobs()
    {
        using var temp = new TempStore();
        Descriptor kept = await PutImageAsync(temp.Store, "kept");
        Descriptor dropped = await PutImageAsync(temp.Store, "dropped");
        OciManifest droppedManifest = await temp.Store.ReadManifestAsync(dropped);
        temp.Store.Tag("app:1", kept);

        Assert.Equal(0, temp.Store.RemoveUnreferencedBlobs(TimeSpan.FromHours(1)));
        Assert.Equal(3, temp.Store.RemoveUnreferencedBlobs(TimeSpan.Zero - TimeSpan.FromSeconds(1)));

        Assert.False(temp.Store.HasBlob(dropped.Digest));
        Assert.False(temp.Store.HasBlob(droppedManifest.Layers[0].Digest));
        OciManifest keptManifest = await temp.Store.ReadManifestAsync(kept);
        Assert.All(keptManifest.Layers.Append(keptManifest.Config), d => Assert.True(temp.Store.HasBlob(d.Digest)));
    }

    internal static async Task<Descriptor> PutImageAsync(ImageStore store, string configText)
    {
        Descriptor config = await store.PutBlobAsync(MediaTypes.OciConfig, Encoding.UTF8.GetBytes("{\"x\":\"" + configText + "\"}"), CancellationToken.None);
        var layer = new LayerBuilder(DateTimeOffset.UnixEpoch);
        layer.AddFile("/" + configText, (UnixFileMode)0x1A4, Encoding.UTF8.GetBytes(configText));
        LayerBlob blob = await layer.WriteAsync(store, CancellationToken.None);
        return await store.PutManifestAsync(new OciManifest(config, [blob.Descriptor]), CancellationToken.None);
    }

    private static async Task<PyContainerException> CodedAsync(string code, Func<Task> action)
    {
        PyContainerException e = await Assert.ThrowsAsync<PyContainerException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }
}
