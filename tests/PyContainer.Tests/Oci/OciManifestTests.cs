using System.Text;
using PyContainer.Diagnostics;
using PyContainer.Oci;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Oci;

/// <summary>Manifests and indexes of both kinds a registry serves, OCI and Docker v2 schema 2.</summary>
public sealed class OciManifestTests
{
    private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static readonly System.Text.Json.JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const string C = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    [Fact]
    public void A_Docker_v2_manifest_parses_with_its_media_types()
    {
        byte[] json = Encoding.UTF8.GetBytes($$"""
            {
               "schemaVersion": 2,
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "config": { "mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": "{{A}}" },
               "layers": [
                  { "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654, "digest": "{{B}}" },
                  { "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 16724, "digest": "{{C}}" }
               ]
            }
            """);

        OciManifest manifest = OciManifest.Parse(json);

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(new Descriptor(MediaTypes.DockerConfig, A, 7023), manifest.Config);
        Assert.Equal([B, C], manifest.Layers.Select(l => l.Digest));
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, MediaTypes.ToOci(l.MediaType)));
    }

    [Fact]
    public void An_OCI_manifest_round_trips_through_its_compact_JSON()
    {
        var manifest = new OciManifest(new Descriptor(MediaTypes.OciConfig, A, 10), [new Descriptor(MediaTypes.OciLayerGzip, B, 20)])
        {
            Annotations = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" },
        };

        byte[] json = manifest.ToJson();
        OciManifest parsed = OciManifest.Parse(json);

        Assert.Equal(
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{A}}}","size":10},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{{B}}}","size":20}],"annotations":{"a":"2","z":"1"}}""",
            Encoding.UTF8.GetString(json));
        Assert.Equal(json, parsed.ToJson());
    }

    [Fact]
    public void An_OCI_manifest_without_mediaType_is_read_as_OCI()
    {
        byte[] json = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"config":{"mediaType":"{{{MediaTypes.OciConfig}}}","digest":"{{{A}}}","size":1},"layers":[]}""");

        Assert.Equal(MediaTypes.OciManifest, OciManifest.Parse(json).MediaType);
    }

    [Fact]
    public void A_Docker_manifest_list_parses_as_an_index_with_platforms()
    {
        byte[] json = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{A}}}","size":1,"platform":{"architecture":"amd64","os":"linux"}},
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{B}}}","size":2,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
            """);

        OciIndex index = OciIndex.Parse(json);

        Assert.Equal(MediaTypes.DockerManifestList, index.MediaType);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.Manifests.Select(m => m.Platform!.ToString()));
        Assert.True(MediaTypes.IsIndex(index.MediaType));
        Assert.Equal(MediaTypes.OciIndex, MediaTypes.ToOci(index.MediaType));
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:12\",\"size\":1},\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + A + "\"},\"layers\":[]}")]
    [InlineData("<html>")]
    public void What_is_not_an_image_manifest_is_PYC3022(string json)
    {
        PyContainerException e = Coded.Throws(Errors.OciContentInvalid, () => OciManifest.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("manifest sha256:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_descriptor_serializes_with_the_image_specs_names()
    {
        var descriptor = new Descriptor(MediaTypes.OciManifest, A, 5)
        {
            Platform = new Platform("arm64", "linux") { Variant = "v8" },
            Annotations = new Dictionary<string, string> { ["k"] = "v" },
        };

        string json = System.Text.Json.JsonSerializer.Serialize(descriptor, RelaxedJson);
        Descriptor? back = System.Text.Json.JsonSerializer.Deserialize<Descriptor>(json);

        Assert.Equal($$$"""{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{A}}}","size":5,"platform":{"architecture":"arm64","os":"linux","variant":"v8"},"annotations":{"k":"v"}}""", json);
        Assert.Equal((descriptor.MediaType, descriptor.Digest, descriptor.Size, descriptor.Platform), (back!.MediaType, back.Digest, back.Size, back.Platform));
        Assert.Equal("v", back.Annotation("k"));
    }

    [Fact]
    public void Media_types_classify_and_convert()
    {
        Assert.True(MediaTypes.IsManifest(MediaTypes.DockerManifest));
        Assert.True(MediaTypes.IsManifest(MediaTypes.OciManifest));
        Assert.False(MediaTypes.IsManifest(MediaTypes.OciIndex));
        Assert.Equal(MediaTypes.OciConfig, MediaTypes.ToOci(MediaTypes.DockerConfig));
        Assert.Equal(MediaTypes.OciManifest, MediaTypes.ToOci(MediaTypes.DockerManifest));
        Assert.Equal("application/x-other", MediaTypes.ToOci("application/x-other"));
    }

    [Fact]
    public void Digests_are_sha256_in_OCI_form()
    {
        string digest = Digests.Sha256(Encoding.UTF8.GetBytes("abc"));

        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", digest);
        Assert.Equal(digest, Digests.Sha256(new MemoryStream(Encoding.UTF8.GetBytes("abc"))));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digests.Hex(digest));
        Assert.False(Digests.IsSha256(digest.ToUpperInvariant()));
        Assert.False(Digests.IsSha256("sha512:ab"));
        Assert.Throws<ArgumentException>(() => Digests.Hex("sha256:../../etc/passwd"));
    }
}
