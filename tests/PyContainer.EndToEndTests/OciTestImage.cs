using System.Text;
using PyContainer.EndToEndTests.Infrastructure;
using PyContainer.Oci;

namespace PyContainer.EndToEndTests;

/// <summary>
/// An image assembled with the Oci library, once for <see cref="OciArchiveTests"/>: the test base image's layers and
/// config (taken from the engine by skopeo into an OCI layout, read back here) plus one layer written by
/// <see cref="LayerBuilder"/> with a file, an executable, an owned folder and a symlink; and a one-layer image of
/// that layer alone for umoci.
/// </summary>
public sealed class OciTestImage : IAsyncLifetime
{
    public const string Greeting = "hello from a layer written by PyContainer.Oci\n";
    public static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static readonly string NonAsciiPath = "/app/café/ünïcode.txt";
    public static readonly string VeryLongPath = "/app/" + string.Join('/', Enumerable.Repeat("x", 100)) + "/" + new string('y', 120);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "pycontainer-oci-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public string Tag { get; } = "oci-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The store with the full image (base layers copied in) and the layer-only image.</summary>
    public ImageStore Store { get; private set; } = null!;

    public string Reference => "pycontainer-oci-test/app:" + Tag;

    /// <summary>The tag the Engine API load gives the image (the docker CLI load gives <see cref="Reference"/>).</summary>
    public string ApiReference => "pycontainer-oci-test/api:" + Tag;

    public string LayerOnlyReference => "pycontainer-oci-test/layer-only:" + Tag;

    public Descriptor Manifest { get; private set; } = null!;

    public LayerBlob Layer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The base image as an OCI layout, read by this library: skopeo writes it, ImageStore reads it.
        string baseLayout = Path.Combine(Root, "base");
        Directory.CreateDirectory(Root);
        (await ProcessRunner.RunAsync("skopeo", ["copy", "--quiet", "docker-daemon:" + TestEnvironment.BaseImage, $"oci:{baseLayout}:base"], timeout: TimeSpan.FromMinutes(5)))
            .ShouldSucceed("skopeo copy of the base image into an OCI layout");
        var baseStore = new ImageStore(baseLayout);
        Descriptor baseManifestDescriptor = baseStore.Find("base") ?? throw new InvalidOperationException("skopeo's index.json has no 'base'.");
        OciManifest baseManifest = await baseStore.ReadManifestAsync(baseManifestDescriptor);
        byte[] baseConfig = await baseStore.ReadBlobAsync(baseManifest.Config.Digest, CancellationToken.None);

        Store = new ImageStore(Path.Combine(Root, "store"));
        Layer = await AppLayer().WriteAsync(Store, CancellationToken.None);

        foreach (Descriptor layer in baseManifest.Layers)
        {
            await using Stream source = baseStore.OpenBlob(layer.Digest);
            await Store.PutBlobAsync(layer, source, CancellationToken.None);
        }

        ImageConfig config = ImageConfig.FromBase(baseConfig, Timestamp);
        config.AddLayer(Layer.DiffId, "COPY app /app", "pycontainer");
        config.SetEnvironment("GREETING_FILE", "/app/hello.txt");
        config.SetWorkingDirectory("/app");
        config.SetUser("1000:1000");
        config.ExposePort("8000");
        config.SetLabel("org.opencontainers.image.title", "oci-test");
        config.SetEntrypoint(["/app/run.sh"]);
        Descriptor configBlob = await Store.PutBlobAsync(MediaTypes.OciConfig, config.ToJson(), CancellationToken.None);
        Manifest = await Store.PutManifestAsync(
            new OciManifest(configBlob, [.. baseManifest.Layers.Select(l => l with { MediaType = MediaTypes.ToOci(l.MediaType) }), Layer.Descriptor]),
            CancellationToken.None);
        Store.Tag(Reference, Manifest);

        // The layer alone over an empty root, for umoci (a 200 MB base would only slow its unpack down).
        ImageConfig bare = ImageConfig.FromBase(Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{}}"), Timestamp);
        bare.AddLayer(Layer.DiffId, "COPY app /app");
        Descriptor bareConfig = await Store.PutBlobAsync(MediaTypes.OciConfig, bare.ToJson(), CancellationToken.None);
        Store.Tag(LayerOnlyReference, await Store.PutManifestAsync(new OciManifest(bareConfig, [Layer.Descriptor]), CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await ProcessRunner.DockerAsync("image", "rm", "-f", Reference, ApiReference);
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>The layer: as a wheel installer or the app copy would fill it, through its <see cref="ILayerSink"/> methods.</summary>
    public static LayerBuilder AppLayer()
    {
        var sink = new LayerBuilder(Timestamp);
        sink.AddFile("/app/hello.txt", (UnixFileMode)0x1A4, Encoding.UTF8.GetBytes(Greeting));
        byte[] script = Encoding.UTF8.GetBytes("#!/bin/sh\nset -e\ncat \"$GREETING_FILE\"\nid -u\nstat -c '%a %u:%g' /app/data\nreadlink /app/greeting\n");
        sink.AddFile("/app/run.sh", (UnixFileMode)0x1ED, script.Length, () => new MemoryStream(script));
        sink.AddDirectory("/app/data", (UnixFileMode)0x1F8, 1000, 1000); // 0770
        sink.AddSymlink("/app/greeting", "hello.txt");
        sink.AddFile("/app/" + string.Join('/', Enumerable.Repeat("deep-folder-name", 8)) + "/long.txt", (UnixFileMode)0x1A4, [(byte)'x']);
        // Names ustar cannot hold, so the layer has PAX records: non-ASCII, and a path beyond prefix + name.
        sink.AddFile(NonAsciiPath, (UnixFileMode)0x1A4, [(byte)'u']);
        sink.AddFile(VeryLongPath, (UnixFileMode)0x1A4, [(byte)'l']);
        return sink;
    }
}
