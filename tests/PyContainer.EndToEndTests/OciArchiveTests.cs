using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.EndToEndTests.Infrastructure;
using PyContainer.Oci;
using Xunit.Abstractions;

namespace PyContainer.EndToEndTests;

/// <summary>
/// What the Oci library writes, checked by tools that did not write it: skopeo reads the store and the archive,
/// umoci unpacks the layer, the engine loads the archive (docker load and the Engine API) and runs the image.
/// </summary>
public sealed class OciArchiveTests(OciTestImage image, ITestOutputHelper output) : IClassFixture<OciTestImage>
{
    [Fact]
    public async Task Skopeo_inspects_the_store_and_copies_every_blob_out_of_it()
    {
        string source = $"oci:{image.Store.Directory}:{image.Reference}";

        ProcessResult inspect = await Skopeo("inspect", source);
        ProcessResult config = await Skopeo("inspect", "--config", source);
        ProcessResult copy = await Skopeo("copy", "--quiet", source, "dir:" + Path.Combine(image.Root, "copy"));

        inspect.ShouldSucceed("skopeo inspect of the OCI layout");
        using JsonDocument manifest = JsonDocument.Parse(inspect.Output);
        Assert.Equal(image.Manifest.Digest, manifest.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(image.Layer.Descriptor.Digest, manifest.RootElement.GetProperty("Layers").EnumerateArray().Last().GetString());
        Assert.Equal("oci-test", manifest.RootElement.GetProperty("Labels").GetProperty("org.opencontainers.image.title").GetString());
        config.ShouldSucceed("skopeo inspect --config");
        using JsonDocument configJson = JsonDocument.Parse(config.Output);
        Assert.Equal(image.Layer.DiffId, configJson.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Last().GetString());
        copy.ShouldSucceed("skopeo copy out of the OCI layout (every blob read and its digest checked)");
    }

    [Fact]
    public async Task Umoci_unpacks_the_layer_with_its_modes_owners_and_symlink()
    {
        string bundle = Path.Combine(image.Root, "bundle");

        (await ProcessRunner.RunAsync("umoci", ["unpack", "--image", $"{image.Store.Directory}:{image.LayerOnlyReference}", bundle]))
            .ShouldSucceed("umoci unpack");

        string app = Path.Combine(bundle, "rootfs", "app");
        Assert.Equal(OciTestImage.Greeting, File.ReadAllText(Path.Combine(app, "hello.txt")));
        Assert.Equal("hello.txt", new FileInfo(Path.Combine(app, "greeting")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(app, string.Join('/', Enumerable.Repeat("deep-folder-name", 8)), "long.txt")));
        Assert.True(File.Exists(Path.Combine(bundle, "rootfs", OciTestImage.NonAsciiPath[1..])), "The non-ASCII name (a PAX path) is missing.");
        Assert.True(File.Exists(Path.Combine(bundle, "rootfs", OciTestImage.VeryLongPath[1..])), "The 330-character path (a PAX path) is missing.");
        ProcessResult stat = await ProcessRunner.RunAsync("stat", ["-c", "%a %u:%g", Path.Combine(app, "data"), Path.Combine(app, "hello.txt"), Path.Combine(app, "run.sh"), app]);
        stat.ShouldSucceed("stat");
        Assert.Equal(["770 1000:1000", "644 0:0", "755 0:0", "755 0:0"], stat.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task GNU_tar_lists_the_layer_with_its_PAX_names_and_no_warning()
    {
        ProcessResult list = await ProcessRunner.RunAsync("tar", ["-tzvf", image.Store.BlobPath(image.Layer.Descriptor.Digest)], environment: new Dictionary<string, string> { ["LC_ALL"] = "C.UTF-8" });

        list.ShouldSucceed("tar -tzvf of the layer");
        Assert.Contains(OciTestImage.NonAsciiPath[1..], list.Output, StringComparison.Ordinal);
        Assert.Contains(OciTestImage.VeryLongPath[1..], list.Output, StringComparison.Ordinal);
        Assert.Contains("app/greeting -> hello.txt", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("tar:", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_archive_is_read_by_skopeo_and_docker_load_and_the_loaded_image_runs()
    {
        string archive = await WriteArchiveAsync("cli.tar", image.Reference);

        ProcessResult inspect = await Skopeo("inspect", $"oci-archive:{archive}:{image.Reference}");
        await ProcessRunner.DockerAsync("image", "rm", "-f", image.Reference);
        ProcessResult load = await ProcessRunner.DockerAsync("load", "-i", archive);

        inspect.ShouldSucceed("skopeo inspect oci-archive:");
        Assert.Equal(image.Manifest.Digest, JsonDocument.Parse(inspect.Output).RootElement.GetProperty("Digest").GetString());
        load.ShouldSucceed("docker load of the archive");
        Assert.Contains("Loaded image: " + image.Reference, load.Output, StringComparison.Ordinal);
        await AssertRunsAsync(image.Reference);
    }

    [Fact]
    public async Task EngineImageLoad_loads_the_archive_through_the_Engine_API()
    {
        string archive = await WriteArchiveAsync("api.tar", image.ApiReference);
        await ProcessRunner.DockerAsync("image", "rm", "-f", image.ApiReference);

        var log = new LinesLog();
        await using (FileStream stream = File.OpenRead(archive))
        {
            await EngineImageLoad.LoadAsync(null, stream, CancellationToken.None, log);
        }

        Assert.Contains("Loaded image: " + image.ApiReference, log.Lines);

        await AssertRunsAsync(image.ApiReference);
        ProcessResult inspect = await ProcessRunner.DockerAsync("image", "inspect", "--format", "{{.Config.WorkingDir}} {{.Config.User}} {{json .Config.ExposedPorts}} {{json .Config.Entrypoint}} {{json .Config.Cmd}}", image.ApiReference);
        inspect.ShouldSucceed("docker image inspect");
        Assert.Equal("/app 1000:1000 {\"8000/tcp\":{}} [\"/app/run.sh\"] null", inspect.Output.Trim());
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("not a tar")]
    [InlineData("layer changed")]
    public async Task EngineImageLoad_of_a_damaged_archive_is_PYC3021_naming_the_engine(string damage)
    {
        byte[] archive = File.ReadAllBytes(await WriteArchiveAsync("damaged-" + damage.Replace(' ', '-') + ".tar", "pycontainer-oci-test/damaged:" + image.Tag));
        byte[] damaged = damage switch
        {
            "truncated" => archive[..(archive.Length / 2)],
            "not a tar" => [.. Enumerable.Repeat((byte)'x', 4096)],
            _ => ChangeLayer(archive),
        };

        var e = await Assert.ThrowsAsync<PyContainerException>(() => EngineImageLoad.LoadAsync(null, new MemoryStream(damaged), CancellationToken.None));

        output.WriteLine(e.Message);
        Assert.Equal(Errors.EngineLoadFailed, e.Code);
        Assert.Contains("Loading the image into the engine at '", e.Message, StringComparison.Ordinal);
        Assert.Contains(Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock", e.Message, StringComparison.Ordinal);
        await ProcessRunner.DockerAsync("image", "rm", "-f", "pycontainer-oci-test/damaged:" + image.Tag);
    }

    /// <summary>Flips one byte inside the app layer's blob, so its content no longer has the DiffId the config names.</summary>
    private byte[] ChangeLayer(byte[] archive)
    {
        byte[] name = System.Text.Encoding.ASCII.GetBytes("blobs/sha256/" + Digests.Hex(image.Layer.Descriptor.Digest));
        int header = archive.AsSpan().IndexOf(name);
        Assert.True(header >= 0, "The layer's entry is not in the archive.");
        byte[] changed = [.. archive];
        changed[header + 512 + 20] ^= 0xFF;
        return changed;
    }

    private async Task<string> WriteArchiveAsync(string name, string reference)
    {
        string path = Path.Combine(image.Root, name);
        await using FileStream output = File.Create(path);
        await ImageArchive.WriteAsync(image.Store, image.Manifest, [reference], image.Store.OpenBlob, output, CancellationToken.None);
        return path;
    }

    private static async Task AssertRunsAsync(string reference)
    {
        ProcessResult run = await ProcessRunner.DockerAsync("run", "--rm", "--network", "host", reference);
        run.ShouldSucceed("docker run of the loaded image");
        Assert.Equal([OciTestImage.Greeting.TrimEnd(), "1000", "770 1000:1000", "hello.txt"], run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private sealed class LinesLog : IBuildLog
    {
        public List<string> Lines { get; } = [];

        public void Info(string message) => Lines.Add(message);

        public void Detail(string message) => Lines.Add(message);

        public void Warning(string code, string message) => Lines.Add(code + ": " + message);
    }

    private static Task<ProcessResult> Skopeo(params string[] arguments) => ProcessRunner.RunAsync("skopeo", arguments, timeout: TimeSpan.FromMinutes(5));
}
