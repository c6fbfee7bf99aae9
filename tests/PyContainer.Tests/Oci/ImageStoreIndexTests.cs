using System.Text;
using System.Text.Json;
using PyContainer.Oci;

namespace PyContainer.Tests.Oci;

/// <summary>A multi-platform image in the store: an index of platform manifests, named, found and archived.</summary>
public sealed class ImageStoreIndexTests
{
    [Fact]
    public async Task An_index_is_stored_tagged_and_found_by_its_digest_which_is_its_image_id()
    {
        using var temp = new TempStore();
        (Descriptor index, Descriptor amd64, Descriptor arm64) = await PutTwoPlatformImageAsync(temp.Store);

        temp.Store.Tag("localhost:5000/app:1", index);

        Assert.Equal(index.Digest, await temp.Store.ImageIdAsync(index));
        Assert.Equal((await temp.Store.ReadManifestAsync(amd64)).Config.Digest, await temp.Store.ImageIdAsync(amd64));
        Assert.Equal(index.Digest, temp.Store.FindByImageId(index.Digest)?.Digest);
        Assert.Equal(MediaTypes.OciIndex, temp.Store.Find("localhost:5000/app:1")?.MediaType);
        Assert.Equal([amd64.Digest, arm64.Digest], (await temp.Store.PlatformManifestsAsync(index)).Select(p => p.Digest));
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], (await temp.Store.ReadImageIndexAsync(index)).Manifests.Select(p => p.Platform?.ToString()));
        Assert.Equal([amd64], await temp.Store.PlatformManifestsAsync(amd64));
    }

    [Fact]
    public async Task RemoveUnreferencedBlobs_keeps_every_platform_a_named_index_reaches()
    {
        using var temp = new TempStore();
        (Descriptor index, Descriptor amd64, Descriptor arm64) = await PutTwoPlatformImageAsync(temp.Store);
        Descriptor dropped = await ImageStoreTests.PutImageAsync(temp.Store, "dropped");
        temp.Store.Tag("app:1", index);

        Assert.Equal(3, temp.Store.RemoveUnreferencedBlobs(TimeSpan.Zero - TimeSpan.FromSeconds(1)));

        Assert.False(temp.Store.HasBlob(dropped.Digest));
        foreach (Descriptor platform in new[] { amd64, arm64 })
        {
            OciManifest manifest = await temp.Store.ReadManifestAsync(platform);
            Assert.All(manifest.Layers.Append(manifest.Config), d => Assert.True(temp.Store.HasBlob(d.Digest)));
        }
    }

    [Fact]
    public async Task The_archive_of_an_index_holds_every_platform_and_docker_load_gets_the_one_asked_for()
    {
        using var temp = new TempStore();
        (Descriptor index, _, Descriptor arm64) = await PutTwoPlatformImageAsync(temp.Store);
        OciManifest arm64Image = await temp.Store.ReadManifestAsync(arm64);
        using var output = new MemoryStream();

        await ImageArchive.WriteAsync(temp.Store, index, arm64, ["localhost:5000/app:1"], temp.Store.OpenBlob, output, CancellationToken.None);

        Dictionary<string, byte[]> files = LayerBuilderTests.Entries(output.ToArray()).Where(e => e.DataStream is not null)
            .ToDictionary(e => e.Name, e => { using var copy = new MemoryStream(); e.DataStream!.CopyTo(copy); return copy.ToArray(); });
        // The index, two manifests, two configs, the shared layer once and one layer of each platform.
        Assert.Equal(8, files.Keys.Count(k => k.StartsWith("blobs/sha256/", StringComparison.Ordinal)));
        Assert.Equal(index.Digest, OciIndex.Parse(files["index.json"]).Manifests.Single().Digest);
        using JsonDocument load = JsonDocument.Parse(files["manifest.json"]);
        Assert.Equal("blobs/sha256/" + Digests.Hex(arm64Image.Config.Digest), load.RootElement[0].GetProperty("Config").GetString());
        Assert.Equal(arm64Image.Layers.Select(l => "blobs/sha256/" + Digests.Hex(l.Digest)), load.RootElement[0].GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
    }

    /// <summary>Two platform images sharing their first layer (as the app layer is shared), in an index.</summary>
    internal static async Task<(Descriptor Index, Descriptor Amd64, Descriptor Arm64)> PutTwoPlatformImageAsync(ImageStore store)
    {
        LayerBlob shared = await LayerAsync(store, "shared");
        Descriptor amd64 = await PlatformImageAsync(store, shared, "amd64");
        Descriptor arm64 = await PlatformImageAsync(store, shared, "arm64");
        Descriptor index = await store.PutImageIndexAsync(
            new OciIndex([amd64 with { Platform = new Platform("amd64", "linux") }, arm64 with { Platform = new Platform("arm64", "linux") { Variant = "v8" } }]),
            CancellationToken.None);
        return (index, amd64, arm64);
    }

    private static async Task<Descriptor> PlatformImageAsync(ImageStore store, LayerBlob shared, string architecture)
    {
        Descriptor config = await store.PutBlobAsync(MediaTypes.OciConfig, Encoding.UTF8.GetBytes("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}"), CancellationToken.None);
        LayerBlob own = await LayerAsync(store, architecture);
        return await store.PutManifestAsync(new OciManifest(config, [own.Descriptor, shared.Descriptor]), CancellationToken.None);
    }

    private static async Task<LayerBlob> LayerAsync(ImageStore store, string name)
    {
        var layer = new LayerBuilder(DateTimeOffset.UnixEpoch);
        layer.AddFile("/" + name, (UnixFileMode)0x1A4, Encoding.UTF8.GetBytes(name));
        return await layer.WriteAsync(store, CancellationToken.None);
    }
}
