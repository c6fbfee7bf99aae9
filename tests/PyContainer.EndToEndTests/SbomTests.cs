using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PyContainer.EndToEndTests.Infrastructure;
using PyContainer.Images;
using PyContainer.Oci;
using PyContainer.Registry;
using PyContainer.Sbom;

namespace PyContainer.EndToEndTests;

/// <summary>
/// The SBOM of an image, as a user gets it: ContainerPublish of flask-hello in both build modes attaches an SPDX
/// document to the pushed manifest, fetched back here through the referrers tag (sha256-HEX) the plain registry 2.8
/// needs (it has no referrers API); rebuilding gives the same bytes; ContainerGenerateSbom=false leaves none.
/// </summary>
[Collection(SerialImageBuilds.Name)]
public sealed class SbomTests
{

    [Fact]
    public async Task The_plain_registry_has_no_referrers_API_and_the_referrers_tag_keeps_one_entry_per_artifact()
    {
        string repository = "sbom/referrers-" + Guid.NewGuid().ToString("N")[..8];
        using RegistryClient client = Client();
        Descriptor subject = await PushSubjectAsync(client, repository);
        var annotations = new Dictionary<string, string> { [Referrers.CreatedAnnotation] = "2024-01-01T00:00:00Z" };

        Assert.Null(await client.GetReferrersAsync(repository, subject.Digest, default));
        string first = await Referrers.AttachAsync(client, repository, subject, SpdxDocument.MediaType, "{\"a\":1}"u8.ToArray(), annotations, default);
        string again = await Referrers.AttachAsync(client, repository, subject, SpdxDocument.MediaType, "{\"a\":1}"u8.ToArray(), annotations, default);
        string other = await Referrers.AttachAsync(client, repository, subject, "application/vnd.example+json", "other"u8.ToArray(), annotations, default);

        Assert.Equal(first, again);
        OciIndex tagged = OciIndex.Parse((await client.GetManifestAsync(repository, Referrers.TagOf(subject.Digest), default)).Content);
        Assert.Equal([first, other], tagged.Manifests.Select(m => m.Digest));
        Assert.Equal([SpdxDocument.MediaType, "application/vnd.example+json"], tagged.Manifests.Select(m => m.ArtifactType));
        Assert.Equal("2024-01-01T00:00:00Z", tagged.Manifests[0].Annotation(Referrers.CreatedAnnotation));
        Assert.Equal([first], (await Referrers.ListAsync(client, repository, subject.Digest, SpdxDocument.MediaType, default)).Select(m => m.Digest));

        // The artifact manifest as the registry stores it: artifactType, the empty config, the subject.
        using JsonDocument artifact = JsonDocument.Parse((await client.GetManifestAsync(repository, first, default)).Content);
        Assert.Equal(SpdxDocument.MediaType, artifact.RootElement.GetProperty("artifactType").GetString());
        Assert.Equal(Referrers.EmptyMediaType, artifact.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Equal(subject.Digest, artifact.RootElement.GetProperty("subject").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task A_Dockerfile_mode_publish_attaches_an_SBOM_listing_flask_and_a_second_build_writes_the_same_bytes()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        string[] properties = ["ContainerRegistry=" + TestEnvironment.Registry, "ContainerRepository=sbom/flask-hello-dockerfile", "ContainerImageTag=" + tag, "ContainerTitle=sbom-" + tag];
        string image = $"{TestEnvironment.Registry}/sbom/flask-hello-dockerfile:{tag}";
        try
        {
            (await sample.BuildAsync("ContainerPublish", properties)).ShouldSucceed("Dockerfile-mode ContainerPublish of flask-hello");
            string file = SbomFile(sample, "sbom/flask-hello-dockerfile");
            byte[] written = await File.ReadAllBytesAsync(file);

            string flaskVersion = (await ProcessRunner.DockerAsync("run", "--rm", "--network", "none", "--entrypoint", "/opt/venv/bin/python", image, "-c", "import importlib.metadata as m; print(m.version('flask'))")).Output.Trim();
            Assert.Matches(@"^\d+\.\d+", flaskVersion);
            byte[] attached = await FetchSbomAsync("sbom/flask-hello-dockerfile", tag);
            Assert.Equal(written, attached);
            AssertListsFlask(attached, flaskVersion, expectChecksum: false);
            // Only what the image's own layers installed: the base image's packages (libc6) are the base's SBOM's.
            string text = Encoding.UTF8.GetString(attached);
            Assert.Contains("\"relationshipType\": \"DESCENDANT_OF\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("pkg:deb/debian/libc6@", text, StringComparison.Ordinal);

            (await sample.BuildAsync("ContainerBuild", properties)).ShouldSucceed("second ContainerBuild");
            Assert.Equal(written, await File.ReadAllBytesAsync(file));
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task A_daemonless_publish_attaches_an_SBOM_with_the_wheel_hashes_and_a_rebuild_writes_the_same_bytes()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        string flaskVersion = Regex.Match(await File.ReadAllTextAsync(Path.Combine(sample.Directory, "pylock.toml")), "name = \"flask\"\\s*\\nversion = \"([^\"]+)\"").Groups[1].Value;

        (await DaemonlessPublishAsync(sample, "sbom/flask-hello-daemonless", tag)).ShouldSucceed("daemonless ContainerPublish of flask-hello");
        string file = SbomFile(sample, "sbom/flask-hello-daemonless");
        byte[] written = await File.ReadAllBytesAsync(file);
        byte[] attached = await FetchSbomAsync("sbom/flask-hello-daemonless", tag);
        Assert.Equal(written, attached);
        AssertListsFlask(attached, flaskVersion, expectChecksum: true);
        Assert.Contains("\"relationshipType\": \"DESCENDANT_OF\"", Encoding.UTF8.GetString(attached), StringComparison.Ordinal);

        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        (await DaemonlessPublishAsync(sample, "sbom/flask-hello-daemonless", tag)).ShouldSucceed("daemonless ContainerPublish again");
        Assert.Equal(written, await File.ReadAllBytesAsync(file));
        Assert.Equal(written, await FetchSbomAsync("sbom/flask-hello-daemonless", tag));
    }

    [Fact]
    public async Task ContainerGenerateSbom_false_writes_no_SBOM_and_attaches_none()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        (await DaemonlessPublishAsync(sample, "sbom/flask-hello-nosbom", tag, "ContainerGenerateSbom=false")).ShouldSucceed("publish without SBOM");

        Assert.Empty(Directory.GetFiles(Path.Combine(sample.Directory, "obj"), "*.spdx.json", SearchOption.AllDirectories));
        using RegistryClient client = Client();
        string digest = (await client.FindManifestDigestAsync("sbom/flask-hello-nosbom", tag, default))!;
        Assert.Empty(await Referrers.ListAsync(client, "sbom/flask-hello-nosbom", digest, null, default));
    }

    /// <summary>The SBOM attached to the tag's manifest, read through the referrers tag as a client of registry 2.8 must.</summary>
    private static async Task<byte[]> FetchSbomAsync(string repository, string tag)
    {
        using RegistryClient client = Client();
        string digest = (await client.FindManifestDigestAsync(repository, tag, default))!;
        OciIndex referrers = OciIndex.Parse((await client.GetManifestAsync(repository, "sha256-" + digest["sha256:".Length..], default)).Content);
        Descriptor sbom = Assert.Single(referrers.Manifests, m => m.ArtifactType == SpdxDocument.MediaType);
        OciManifest artifact = OciManifest.Parse((await client.GetManifestAsync(repository, sbom.Digest, default)).Content);
        await using Stream blob = await client.GetBlobAsync(repository, Assert.Single(artifact.Layers).Digest, default);
        using var buffer = new MemoryStream();
        await blob.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static void AssertListsFlask(byte[] sbom, string version, bool expectChecksum)
    {
        using JsonDocument document = JsonDocument.Parse(sbom);
        JsonElement flask = Assert.Single(document.RootElement.GetProperty("packages").EnumerateArray(), p => p.GetProperty("name").GetString()!.Equals("flask", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(version, flask.GetProperty("versionInfo").GetString());
        Assert.Equal("pkg:pypi/flask@" + version, flask.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString());
        Assert.Equal(expectChecksum, flask.TryGetProperty("checksums", out _));
        Assert.Equal("CONTAINER", document.RootElement.GetProperty("packages")[0].GetProperty("primaryPackagePurpose").GetString());
    }

    private static string SbomFile(SampleProject sample, string repository) =>
        Assert.Single(Directory.GetFiles(Path.Combine(sample.Directory, "obj"), repository.Replace('/', '-') + ".linux-*.spdx.json", SearchOption.AllDirectories));

    private static Task<ProcessResult> DaemonlessPublishAsync(SampleProject sample, string repository, string tag, params string[] properties) =>
        sample.PublishDaemonlessAsync(repository, tag, ["ContainerTitle=sbom-" + tag, .. properties]);

    private static RegistryClient Client() => RegistryClient.For(TestEnvironment.Registry, host => new RegistryCredential(host, "none (anonymous)"));

    private static async Task<Descriptor> PushSubjectAsync(RegistryClient client, string repository)
    {
        byte[] config = "{}"u8.ToArray();
        var configDescriptor = new Descriptor(Referrers.EmptyMediaType, Digests.Sha256(config), config.Length);
        await client.UploadBlobAsync(repository, configDescriptor, () => new MemoryStream(config), default);
        byte[] manifest = new OciManifest(configDescriptor with { MediaType = MediaTypes.OciConfig }, []).ToJson();
        string digest = await client.PutManifestAsync(repository, "v1", MediaTypes.OciManifest, manifest, default);
        return new Descriptor(MediaTypes.OciManifest, digest, manifest.Length);
    }

    private static string NewTag() => "e2e-" + Guid.NewGuid().ToString("N")[..10];
}
