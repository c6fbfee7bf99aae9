using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.Oci;

namespace PyContainer.Tests.Oci;

/// <summary>The archive that is both docker load's format and an OCI layout.</summary>
public sealed class ImageArchiveTests
{
    [Fact]
    public async Task The_archive_has_docker_loads_manifest_and_an_OCI_layout_over_the_same_blobs()
    {
        using var temp = new TempStore();
        Descriptor manifest = await ImageStoreTests.PutImageAsync(temp.Store, "app");
        OciManifest image = await temp.Store.ReadManifestAsync(manifest);

        byte[] archive = await WriteAsync(temp.Store, manifest, ["localhost:5000/app:1.0", "app"]);
        Dictionary<string, byte[]> files = LayerBuilderTests.Entries(archive).Where(e => e.DataStream is not null)
            .ToDictionary(e => e.Name, e => ReadAll(e.DataStream!));

        Assert.Equal(
            ["blobs/", "blobs/sha256/", .. new[] { manifest, image.Config, image.Layers[0] }.Select(d => "blobs/sha256/" + Digests.Hex(d.Digest)).Order(StringComparer.Ordinal), "index.json", "manifest.json", "oci-layout"],
            LayerBuilderTests.Entries(archive).Select(e => e.Name));
        Assert.All(files.Where(f => f.Key.StartsWith("blobs/", StringComparison.Ordinal)), f => Assert.Equal("sha256:" + f.Key[13..], Digests.Sha256(f.Value)));
        using JsonDocument load = JsonDocument.Parse(files["manifest.json"]);
        JsonElement entry = load.RootElement[0];
        Assert.Equal("blobs/sha256/" + Digests.Hex(image.Config.Digest), entry.GetProperty("Config").GetString());
        Assert.Equal(["app:latest", "localhost:5000/app:1.0"], entry.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["blobs/sha256/" + Digests.Hex(image.Layers[0].Digest)], entry.GetProperty("Layers").EnumerateArray().Select(t => t.GetString()));
        OciIndex index = OciIndex.Parse(files["index.json"]);
        Assert.Equal(["app", "localhost:5000/app:1.0"], index.Manifests.Select(m => m.Annotation(OciIndex.RefName)));
        Assert.All(index.Manifests, m => Assert.Equal(manifest.Digest, m.Digest));
        Assert.Equal(["docker.io/library/app", "localhost:5000/app:1.0"], index.Manifests.Select(m => m.Annotation(ImageArchive.ContainerdImageName)));
    }

    [Fact]
    public async Task The_same_image_gives_the_same_archive_bytes()
    {
        using var temp = new TempStore();
        Descriptor manifest = await ImageStoreTests.PutImageAsync(temp.Store, "app");

        Assert.Equal(await WriteAsync(temp.Store, manifest, ["a:1", "b:2"]), await WriteAsync(temp.Store, manifest, ["b:2", "a:1"]));
    }

    [Fact]
    public async Task A_blob_source_with_other_bytes_is_PYC3022()
    {
        using var temp = new TempStore();
        Descriptor manifest = await ImageStoreTests.PutImageAsync(temp.Store, "app");
        OciManifest image = await temp.Store.ReadManifestAsync(manifest);

        var e = await Assert.ThrowsAsync<PyContainerException>(() => ImageArchive.WriteAsync(
            temp.Store, manifest, ["app:1"],
            digest => digest == image.Layers[0].Digest ? new MemoryStream(new byte[image.Layers[0].Size]) : temp.Store.OpenBlob(digest),
            new MemoryStream(), CancellationToken.None));

        Assert.Equal(Errors.OciContentInvalid, e.Code);
        Assert.Contains(image.Layers[0].Digest, e.Message, StringComparison.Ordinal);
        Assert.Contains("The image content (blob ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app:1", "docker.io/library/app:1")]
    [InlineData("team/app:1", "docker.io/team/app:1")]
    [InlineData("localhost:5000/team/app:1", "localhost:5000/team/app:1")]
    [InlineData("localhost/app:1", "localhost/app:1")]
    [InlineData("registry.example.com/app", "registry.example.com/app")]
    public void The_containerd_image_name_is_the_fully_qualified_reference(string reference, string expected)
    {
        Assert.Equal(expected, ImageArchive.FullyQualified(reference));
    }

    private static async Task<byte[]> WriteAsync(ImageStore store, Descriptor manifest, IReadOnlyList<string> references)
    {
        using var output = new MemoryStream();
        await ImageArchive.WriteAsync(store, manifest, references, store.OpenBlob, output, CancellationToken.None);
        return output.ToArray();
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
