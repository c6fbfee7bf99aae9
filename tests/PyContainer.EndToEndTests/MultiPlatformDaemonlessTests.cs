using System.Text.Json;
using PyContainer.EndToEndTests.Infrastructure;
using PyContainer.Images;
using PyContainer.Registry;
using PyContainer.Sbom;

namespace PyContainer.EndToEndTests;

/// <summary>
/// ContainerRuntimeIdentifiers in the daemonless mode: flask-hello published for linux-x64 and linux-arm64 with no
/// engine, from the test registry's two-platform base, is one OCI index in the registry; each platform's image runs
/// (arm64 under QEMU emulation) and the pure-Python and app layers are one blob shared by both.
/// </summary>
[Collection(SerialImageBuilds.Name)]
public sealed class MultiPlatformDaemonlessTests
{
    private const string Hello = "Hello from Flask, containerized by PyContainer!\n";

    [Fact]
    public async Task Flask_hello_for_x64_and_arm64_is_one_index_whose_images_both_answer_and_share_their_Python_layers()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        const string repository = "multi/flask-hello";

        (await PublishAsync(sample, repository, tag, "linux-x64%3Blinux-arm64")).ShouldSucceed("daemonless ContainerPublish of flask-hello for linux-x64;linux-arm64");

        (_, JsonElement index) = await PlainRegistry.ManifestAsync(TestEnvironment.Registry, repository, tag);
        Assert.Equal("application/vnd.oci.image.index.v1+json", index.GetProperty("mediaType").GetString());
        Dictionary<string, string> platforms = index.GetProperty("manifests").EnumerateArray().ToDictionary(
            m => m.GetProperty("platform").GetProperty("architecture").GetString()!, m => m.GetProperty("digest").GetString()!);
        Assert.Equal(["amd64", "arm64"], platforms.Keys.Order(StringComparer.Ordinal));

        List<string> amd64Layers = await LayerDigestsAsync(repository, platforms["amd64"]);
        List<string> arm64Layers = await LayerDigestsAsync(repository, platforms["arm64"]);
        // The app (last) and the virtual environment with the pure-Python packages (third from last) are the same
        // blobs on both platforms; the native layer (markupsafe's wheel) is each platform's own.
        Assert.Equal(amd64Layers[^1], arm64Layers[^1]);
        Assert.Equal(amd64Layers[^3], arm64Layers[^3]);
        Assert.NotEqual(amd64Layers[^2], arm64Layers[^2]);

        // Each platform's image has its own SBOM, attached through the referrers tag (registry 2.8 has no referrers API).
        using (RegistryClient client = RegistryClient.For(TestEnvironment.Registry, host => new RegistryCredential(host, "none (anonymous)")))
        {
            foreach (string digest in platforms.Values)
            {
                Assert.Single(await Referrers.ListAsync(client, repository, digest, SpdxDocument.MediaType, default));
            }
        }

        foreach ((string architecture, string digest) in platforms)
        {
            string image = $"{TestEnvironment.Registry}/{repository}@{digest}";
            (await ProcessRunner.DockerAsync("pull", image)).ShouldSucceed("docker pull " + image);
            try
            {
                await using RunningContainer container = await RunningContainer.StartAsync(image, "--platform", "linux/" + architecture);
                Assert.Equal(Hello, await container.GetAsync("/"));
                ProcessResult machine = await ProcessRunner.DockerAsync("exec", container.Id, "uname", "-m");
                Assert.Equal(architecture == "arm64" ? "aarch64" : "x86_64", machine.Output.Trim());
            }
            finally
            {
                await ProcessRunner.DockerAsync("image", "rm", "-f", image);
            }
        }
    }

    [Fact]
    public async Task A_platform_the_base_image_lacks_is_PYC4007_and_nothing_is_pushed()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        const string repository = "multi/flask-hello-s390x";

        ProcessResult published = await PublishAsync(sample, repository, tag, "linux-x64%3Blinux-s390x");

        Assert.NotEqual(0, published.ExitCode);
        Assert.Contains("PYC4007", published.Output, StringComparison.Ordinal);
        Assert.Contains("linux/s390x", published.Output, StringComparison.Ordinal);
        Assert.Contains("ContainerRuntimeIdentifiers", published.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("packages (", published.Output, StringComparison.Ordinal);
        Assert.False(await PlainRegistry.HasManifestAsync(TestEnvironment.Registry, repository, tag));
    }

    private static Task<ProcessResult> PublishAsync(SampleProject sample, string repository, string tag, string runtimeIdentifiers) =>
        sample.PublishDaemonlessAsync(repository, tag, "ContainerRuntimeIdentifiers=" + runtimeIdentifiers, "ContainerTitle=flask-hello-" + tag);

    private static async Task<List<string>> LayerDigestsAsync(string repository, string digest)
    {
        (_, JsonElement manifest) = await PlainRegistry.ManifestAsync(TestEnvironment.Registry, repository, digest);
        return manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
    }

    private static string NewTag() => "e2e-" + Guid.NewGuid().ToString("N")[..10];
}
