using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.EndToEndTests.Infrastructure;
using PyContainer.Images;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.EndToEndTests;

/// <summary>
/// RegistryClient against the real registries of eng/test-env.sh: it reads the base image skopeo put there,
/// pushes an image on top of it (mounts, monolithic and chunked uploads, manifest, index), and skopeo and the
/// engine read back what it pushed. The TLS + htpasswd registry checks credentials, certs.d trust and refusals.
/// </summary>
public sealed class RegistryClientTests(RegistryBaseImage baseImage) : IClassFixture<RegistryBaseImage>, IDisposable
{
    private const string Greeting = "hello from the registry client";
    private readonly string _scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pycontainer-registry-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    private readonly string _repository = "registry-tests/app-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _pulled = [];

    private static RegistryClientOptions Options(long? chunkSize = null) => new() { ChunkSize = chunkSize, RetryDelay = TimeSpan.FromMilliseconds(200) };

    private static RegistryCredential AuthCredential(string? password = null) =>
        new(AuthRegistry.Host, "PYCONTAINER_AUTH_REGISTRY_USER/_PASSWORD (test)", AuthRegistry.User, password ?? AuthRegistry.Password);

    public void Dispose()
    {
        foreach (string image in _pulled)
        {
            ProcessRunner.DockerAsync("image", "rm", "-f", image).GetAwaiter().GetResult();
        }

        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Pushes_an_image_on_the_base_that_skopeo_inspects_and_the_engine_pulls_and_runs()
    {
        RemoteImage source = RemoteImage.Parse(baseImage.Reference, "PYCONTAINER_REGISTRY_BASE_IMAGE");
        // Chunks of 1 MiB: the 3 MiB layer goes up in PATCH requests, the rest in single PUTs.
        using RegistryClient client = RegistryClient.For(source.Registry, host => new RegistryCredential(host, "none (anonymous)"), Options(chunkSize: 1024 * 1024));

        (string digest, TestLayer small, TestLayer big, Descriptor config) = await PushImageAsync(client, source, "v1");

        // The plain registry answers http only: the client fell back as docker does for a loopback registry.
        Assert.Equal("http", client.BaseUri!.Scheme);

        // What the client reads back.
        Assert.Equal(digest, await client.FindManifestDigestAsync(_repository, "v1", default));
        Assert.Null(await client.FindManifestDigestAsync(_repository, "absent", default));
        Assert.True(await client.BlobExistsAsync(_repository, big.Descriptor.Digest, default));
        Assert.False(await client.BlobExistsAsync(_repository, PushedImageParts.Sha256(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())), default));
        await using (Stream blob = await client.GetBlobAsync(_repository, config.Digest, default))
        {
            Assert.Equal(config.Digest, "sha256:" + Convert.ToHexString(await SHA256.HashDataAsync(blob)).ToLowerInvariant());
        }

        // What skopeo reads.
        string reference = $"docker://{source.Registry}/{_repository}:v1";
        ProcessResult inspect = await Skopeo.RunAsync("inspect", "--tls-verify=false", reference);
        inspect.ShouldSucceed("skopeo inspect of the pushed image");
        using JsonDocument inspected = JsonDocument.Parse(inspect.Output);
        Assert.Equal(digest, inspected.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(
            [.. (await BaseLayersAsync(client, source)).Select(l => l.Digest), small.Descriptor.Digest, big.Descriptor.Digest],
            inspected.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));

        // What the engine pulls and runs.
        string image = $"{source.Registry}/{_repository}:v1";
        _pulled.Add(image);
        (await ProcessRunner.DockerAsync("pull", image)).ShouldSucceed("docker pull of the pushed image");
        ProcessResult run = await ProcessRunner.DockerAsync("run", "--rm", "--network", "none", image);
        run.ShouldSucceed("docker run of the pushed image");
        Assert.Contains(Greeting, run.Output, StringComparison.Ordinal);
        Assert.Contains("3145728", run.Output, StringComparison.Ordinal); // the chunked layer's file, whole
    }

    [Fact]
    public async Task Selects_each_platform_of_an_index_it_pushed()
    {
        RemoteImage source = RemoteImage.Parse(baseImage.Reference, "PYCONTAINER_REGISTRY_BASE_IMAGE");
        using RegistryClient client = RegistryClient.For(source.Registry, host => new RegistryCredential(host, "none (anonymous)"), Options());
        (string amd64, _, _, _) = await PushImageAsync(client, source, "amd64");
        (string arm64, _, _, _) = await PushImageAsync(client, source, "arm64", architecture: "arm64", variant: "v8");
        ManifestResponse amd64Manifest = await client.GetManifestAsync(_repository, amd64, default);
        ManifestResponse arm64Manifest = await client.GetManifestAsync(_repository, arm64, default);
        byte[] index = PushedImageParts.Index(
            (new Descriptor(amd64Manifest.MediaType, amd64, amd64Manifest.Content.Length), "amd64", null),
            (new Descriptor(arm64Manifest.MediaType, arm64, arm64Manifest.Content.Length), "arm64", "v8"));

        string indexDigest = await client.PutManifestAsync(_repository, "multi", MediaTypes.OciIndex, index, default);
        ManifestResponse read = await client.GetManifestAsync(_repository, "multi", default);

        Assert.True(read.IsIndex);
        Assert.Equal(indexDigest, read.Digest);
        Assert.Equal(amd64, PlatformManifests.Select(read, "linux", "amd64", null).Digest);
        Assert.Equal(arm64, PlatformManifests.Select(read, "linux", "arm64", null).Digest);
        Assert.Equal(arm64, PlatformManifests.Select(read, "linux", "aarch64", "v8").Digest);
        var e = Assert.Throws<PyContainerException>(() => PlatformManifests.Select(read, "linux", "s390x", null, $"{source.Registry}/{_repository}:multi"));
        Assert.Equal(Errors.PlatformNotInIndex, e.Code);
        Assert.Contains("linux/amd64, linux/arm64/v8", e.Message, StringComparison.Ordinal);
        // skopeo reads the index we pushed (its Digest is the index's) and picks each platform's config from it.
        foreach (string arch in new[] { "amd64", "arm64" })
        {
            ProcessResult inspect = await Skopeo.RunAsync("inspect", "--tls-verify=false", "--override-arch", arch, $"docker://{source.Registry}/{_repository}:multi");
            inspect.ShouldSucceed("skopeo inspect --override-arch " + arch);
            using JsonDocument inspected = JsonDocument.Parse(inspect.Output);
            Assert.Equal(indexDigest, inspected.RootElement.GetProperty("Digest").GetString());
            Assert.Equal(arch, inspected.RootElement.GetProperty("Architecture").GetString());
        }
    }

    [Fact]
    public async Task Pushes_to_the_TLS_registry_with_credentials_trusting_its_CA_from_certs_d()
    {
        using RegistryClient client = RegistryClient.For(AuthRegistry.Host, _ => AuthCredential(), Options());
        (string digest, _) = await PushSmallImageAsync(client, "v1");

        Assert.Equal(new Uri($"https://{AuthRegistry.Host}/"), client.BaseUri);
        Assert.Equal(digest, await client.FindManifestDigestAsync(_repository, "v1", default));
        ProcessResult inspect = await Skopeo.RunWithCredentialsAsync(AuthRegistry.Host, AuthRegistry.User, AuthRegistry.Password, "inspect", "--raw", $"docker://{AuthRegistry.Host}/{_repository}:v1");
        inspect.ShouldSucceed("skopeo inspect of the image pushed to the TLS registry");
        Assert.Equal(digest, PushedImageParts.Sha256(Encoding.UTF8.GetBytes(inspect.Output.TrimEnd('\n'))));
        Assert.Equal(["v1"], await AuthRegistry.TagsAsync(_repository));
    }

    [Fact]
    public async Task A_wrong_password_is_PYC4008_naming_the_source_and_not_the_password()
    {
        string wrong = "wrong-" + Guid.NewGuid().ToString("N");
        using RegistryClient client = RegistryClient.For(AuthRegistry.Host, _ => AuthCredential(wrong), Options());
        using RegistryClient anonymous = RegistryClient.For(AuthRegistry.Host, host => new RegistryCredential(host, "none (anonymous)"), Options());

        var e = await Assert.ThrowsAsync<PyContainerException>(() => client.BlobExistsAsync(_repository, PushedImageParts.Sha256([1]), default));
        var a = await Assert.ThrowsAsync<PyContainerException>(() => anonymous.GetManifestAsync(_repository, "v1", default));

        Assert.Equal(Errors.RegistryDenied, e.Code);
        Assert.Contains(AuthRegistry.Host, e.Message, StringComparison.Ordinal);
        Assert.Contains("PYCONTAINER_AUTH_REGISTRY_USER/_PASSWORD (test)", e.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, e.ToString(), StringComparison.Ordinal);
        Assert.Equal(Errors.RegistryDenied, a.Code);
        Assert.Contains("none (anonymous)", a.Message, StringComparison.Ordinal);
        Assert.Empty(await AuthRegistry.TagsAsync(_repository));
    }

    [Fact]
    public async Task Without_its_CA_the_TLS_registry_is_PYC4006_and_never_spoken_to_over_http()
    {
        var options = new RegistryClientOptions { CertificateDirectories = [], MaxAttempts = 1 };
        using RegistryClient client = RegistryClient.For(AuthRegistry.Host, _ => AuthCredential(), options);

        var e = await Assert.ThrowsAsync<PyContainerException>(() => client.GetManifestAsync(_repository, "v1", default));

        Assert.Equal(Errors.RegistryRequestFailed, e.Code);
        Assert.Contains("the TLS connection failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("no CA file was found for it", e.Message, StringComparison.Ordinal);
        Assert.Null(client.BaseUri);
    }

    private static async Task<IReadOnlyList<Descriptor>> BaseLayersAsync(RegistryClient client, RemoteImage source)
    {
        ManifestResponse manifest = await AmdManifestAsync(client, source);
        using JsonDocument json = JsonDocument.Parse(manifest.Content);
        return json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.Deserialize<Descriptor>()!).ToList();
    }

    /// <summary>The base's linux/amd64 manifest: the test environment's base is a two-platform manifest list.</summary>
    private static async Task<ManifestResponse> AmdManifestAsync(RegistryClient client, RemoteImage source)
    {
        ManifestResponse manifest = await client.GetManifestAsync(source.Repository, source.Reference, default);
        return manifest.IsIndex
            ? await client.GetManifestAsync(source.Repository, PlatformManifests.Select(manifest, "linux", "amd64", null).Digest, default)
            : manifest;
    }

    /// <summary>The base's layers mounted, two layers of our own uploaded, a config and an OCI manifest put.</summary>
    private async Task<(string Digest, TestLayer Small, TestLayer Big, Descriptor Config)> PushImageAsync(
        RegistryClient client, RemoteImage source, string tag, string architecture = "amd64", string? variant = null)
    {
        ManifestResponse baseManifest = await AmdManifestAsync(client, source);
        Assert.Equal(MediaTypes.DockerManifest, baseManifest.MediaType); // what skopeo copied from the engine
        using JsonDocument json = JsonDocument.Parse(baseManifest.Content);
        Descriptor baseConfig = json.RootElement.GetProperty("config").Deserialize<Descriptor>()!;
        IReadOnlyList<Descriptor> baseLayers = await BaseLayersAsync(client, source);
        foreach (Descriptor layer in baseLayers)
        {
            Assert.True(await client.TryMountBlobAsync(_repository, layer.Digest, source.Repository, default), "mount of " + layer.Digest);
        }

        TestLayer small = PushedImageParts.WriteLayer(_scratch, new Dictionary<string, byte[]> { ["/hello.txt"] = Encoding.UTF8.GetBytes(Greeting + "\n") });
        TestLayer big = PushedImageParts.WriteLayer(_scratch, new Dictionary<string, byte[]> { ["/big.bin"] = RandomNumberGenerator.GetBytes(3 * 1024 * 1024) });
        foreach (TestLayer layer in new[] { small, big })
        {
            await client.UploadBlobAsync(_repository, layer.Descriptor, () => File.OpenRead(layer.Path), default);
        }

        byte[] baseConfigBytes;
        await using (Stream stream = await client.GetBlobAsync(source.Repository, baseConfig.Digest, default))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer);
            baseConfigBytes = buffer.ToArray();
        }

        byte[] configBytes = PushedImageParts.Config(baseConfigBytes, [small, big], ["sh", "-c", "cat /hello.txt; stat -c %s /big.bin"], architecture, variant);
        var config = new Descriptor(MediaTypes.OciConfig, PushedImageParts.Sha256(configBytes), configBytes.Length);
        await client.UploadBlobAsync(_repository, config, () => new MemoryStream(configBytes), default);
        byte[] manifest = PushedImageParts.Manifest(config, [.. baseLayers, small.Descriptor, big.Descriptor]);
        string digest = await client.PutManifestAsync(_repository, tag, MediaTypes.OciManifest, manifest, default);
        Assert.Equal(PushedImageParts.Sha256(manifest), digest);
        return (digest, small, big, config);
    }

    /// <summary>One small layer and a minimal config: enough for a registry to hold an image.</summary>
    private async Task<(string Digest, TestLayer Layer)> PushSmallImageAsync(RegistryClient client, string tag)
    {
        TestLayer layer = PushedImageParts.WriteLayer(_scratch, new Dictionary<string, byte[]> { ["/hello.txt"] = Encoding.UTF8.GetBytes(Greeting) });
        byte[] configBytes = PushedImageParts.Config(
            Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"""), [layer], ["cat", "/hello.txt"]);
        var config = new Descriptor(MediaTypes.OciConfig, PushedImageParts.Sha256(configBytes), configBytes.Length);
        Assert.False(await client.BlobExistsAsync(_repository, layer.Descriptor.Digest, default));
        await client.UploadBlobAsync(_repository, layer.Descriptor, () => File.OpenRead(layer.Path), default);
        await client.UploadBlobAsync(_repository, config, () => new MemoryStream(configBytes), default);
        Assert.True(await client.BlobExistsAsync(_repository, layer.Descriptor.Digest, default));
        byte[] manifest = PushedImageParts.Manifest(config, [layer.Descriptor]);
        return (await client.PutManifestAsync(_repository, tag, MediaTypes.OciManifest, manifest, default), layer);
    }
}
