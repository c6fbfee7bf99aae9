using System.Text;
using PyContainer.Diagnostics;
using PyContainer.Oci;
using PyContainer.Registry;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Registry;

public sealed class PlatformManifestsTests
{
    private static string D(char c) => "sha256:" + new string(c, 64);

    /// <summary>The shape of python:3.11's index on Docker Hub, attestations included.</summary>
    private static ManifestResponse Index(string mediaType = MediaTypes.OciIndex) => new(mediaType, D('0'), Encoding.UTF8.GetBytes($$"""
        {
          "schemaVersion": 2,
          "mediaType": "{{mediaType}}",
          "manifests": [
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{D('1')}}", "size": 10, "platform": { "architecture": "amd64", "os": "linux" } },
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{D('a')}}", "size": 10, "platform": { "architecture": "unknown", "os": "unknown" },
              "annotations": { "vnd.docker.reference.digest": "{{D('1')}}", "vnd.docker.reference.type": "attestation-manifest" } },
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{D('2')}}", "size": 10, "platform": { "architecture": "arm", "os": "linux", "variant": "v5" } },
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{D('3')}}", "size": 10, "platform": { "architecture": "arm", "os": "linux", "variant": "v7" } },
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{D('4')}}", "size": 10, "platform": { "architecture": "arm64", "os": "linux", "variant": "v8" } },
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{D('5')}}", "size": 12, "platform": { "architecture": "amd64", "os": "windows", "os.version": "10.0.20348.2340" } }
          ]
        }
        """));

    [Theory]
    [InlineData("linux", "amd64", null, '1')]
    [InlineData("linux", "x86_64", null, '1')]
    [InlineData("linux", "arm64", null, '4')]
    [InlineData("linux", "aarch64", null, '4')]
    [InlineData("linux", "arm64", "v8", '4')]
    [InlineData("linux", "arm", "v5", '2')]
    [InlineData("linux", "arm", null, '3')]
    [InlineData("linux", "arm", "v7", '3')]
    [InlineData("windows", "amd64", null, '5')]
    public void Select_matches_os_architecture_and_variant(string os, string architecture, string? variant, char expected)
    {
        Descriptor chosen = PlatformManifests.Select(Index(), os, architecture, variant);

        Assert.Equal(D(expected), chosen.Digest);
        Assert.Equal(MediaTypes.OciManifest, chosen.MediaType);
    }

    [Fact]
    public void Select_reads_a_Docker_manifest_list_too()
    {
        Descriptor chosen = PlatformManifests.Select(Index(MediaTypes.DockerManifestList), "linux", "amd64", null);

        Assert.Equal(D('1'), chosen.Digest);
        Assert.Equal("amd64", chosen.Platform!.Architecture);
    }

    [Fact]
    public void A_platform_the_index_lacks_is_PYC4007_listing_what_it_has_without_attestations()
    {
        PyContainerException e = Coded.Throws(Errors.PlatformNotInIndex, () => PlatformManifests.Select(Index(), "linux", "s390x", null, "python:3.11"));

        Assert.Contains("'python:3.11'", e.Message, StringComparison.Ordinal);
        Assert.Contains("linux/s390x", e.Message, StringComparison.Ordinal);
        Assert.Contains("linux/amd64, linux/arm/v5, linux/arm/v7, linux/arm64/v8, windows/amd64", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_the_index_lacks_is_PYC4007()
    {
        Coded.Throws(Errors.PlatformNotInIndex, () => PlatformManifests.Select(Index(), "linux", "arm", "v6"));
    }

    [Fact]
    public void A_single_manifest_is_returned_as_it_is()
    {
        var manifest = new ManifestResponse(MediaTypes.DockerManifest, D('9'), Encoding.UTF8.GetBytes("{\"schemaVersion\":2}"));

        Descriptor chosen = PlatformManifests.Select(manifest, "linux", "amd64", null);

        Assert.Equal(new Descriptor(MediaTypes.DockerManifest, D('9'), manifest.Content.Length), chosen);
    }

    [Fact]
    public void An_index_that_is_not_JSON_is_PYC4006_naming_the_image()
    {
        var broken = new ManifestResponse(MediaTypes.OciIndex, D('0'), Encoding.UTF8.GetBytes("{\"manifests\": 3}"));

        PyContainerException e = Coded.Throws(Errors.RegistryRequestFailed, () => PlatformManifests.Select(broken, "linux", "amd64", null, "localhost:5000/a/b:1"));

        Assert.Contains("localhost:5000", e.Message, StringComparison.Ordinal);
        Assert.Contains("'a/b'", e.Message, StringComparison.Ordinal);
    }
}
