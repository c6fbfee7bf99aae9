using System.Text.Json;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// The Dockerfile mode for several platforms: the test engine (amd64) builds flask-hello for linux/amd64 natively
/// and for linux/arm64 under QEMU, PyContainer assembles and pushes one index; both images answer HTTP.
/// </summary>
[Collection(SerialImageBuilds.Name)]
public sealed class MultiPlatformDockerfileTests
{
    private const string Hello = "Hello from Flask, containerized by PyContainer!\n";

    [Fact]
    public async Task Flask_hello_for_x64_and_arm64_is_one_index_whose_images_both_answer()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        string repository = $"{TestEnvironment.Registry}/multi-engine/flask-hello";
        (await PublishAsync(sample, tag, "linux-x64;linux-arm64")).ShouldSucceed("two-platform Dockerfile-mode ContainerPublish of flask-hello");

        using JsonDocument index = await ManifestAsync("multi-engine/flask-hello", tag);
        Dictionary<string, string> digests = index.RootElement.GetProperty("manifests").EnumerateArray()
            .ToDictionary(m => m.GetProperty("platform").GetProperty("architecture").GetString()!, m => m.GetProperty("digest").GetString()!);
        Assert.Equal(["amd64", "arm64"], digests.Keys.Order(StringComparer.Ordinal));

        foreach ((string architecture, string digest) in digests)
        {
            // The base image's layers are the registry's own blobs, referenced by the base annotations, not copies.
            (_, JsonElement manifest) = await PlainRegistry.ManifestAsync(TestEnvironment.Registry, "multi-engine/flask-hello", digest);
            Assert.Equal(TestEnvironment.RegistryBaseImage, manifest.GetProperty("annotations").GetProperty("org.opencontainers.image.base.name").GetString());

            string image = $"{repository}@{digest}";
            (await ProcessRunner.DockerAsync("pull", image)).ShouldSucceed("docker pull " + image);
            try
            {
                await using RunningContainer container = await RunningContainer.StartAsync(image, "--platform", "linux/" + architecture);
                Assert.Equal(Hello, await container.GetAsync("/"));
            }
            finally
            {
                await ProcessRunner.DockerAsync("image", "rm", "-f", image);
            }
        }
    }

    [Fact]
    public async Task A_platform_the_base_image_lacks_fails_with_PYC4007_before_anything_is_built_or_pushed()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = NewTag();
        ProcessResult result = await PublishAsync(sample, tag, "linux-x64;linux-s390x");
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Output.Contains("PYC4007", StringComparison.Ordinal) || result.Output.Contains("PYC3023", StringComparison.Ordinal), result.Output);
        Assert.DoesNotContain("Built sha256:", result.Output, StringComparison.Ordinal);
        Assert.False(await ExistsAsync("multi-engine/flask-hello", tag), "nothing may be pushed");
    }

    private static Task<ProcessResult> PublishAsync(SampleProject sample, string tag, string runtimeIdentifiers) =>
        sample.BuildAsync(
            "ContainerPublish",
            // ";" separates properties on the command line: %3B is MSBuild's escape for it.
            "ContainerRuntimeIdentifiers=" + runtimeIdentifiers.Replace(";", "%3B", StringComparison.Ordinal),
            "ContainerBaseImage=" + TestEnvironment.RegistryBaseImage,
            "ContainerBuilderImage=" + TestEnvironment.RegistryBaseImage,
            "ContainerRegistry=" + TestEnvironment.Registry,
            "ContainerRepository=multi-engine/flask-hello",
            "ContainerImageTag=" + tag,
            "ContainerTitle=flask-hello-" + tag);

    private static async Task<JsonDocument> ManifestAsync(string repository, string tag)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{TestEnvironment.Registry}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using HttpResponseMessage response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/vnd.oci.image.index.v1+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<bool> ExistsAsync(string repository, string tag)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{TestEnvironment.Registry}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using HttpResponseMessage response = await client.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    private static string NewTag() => "e2e-" + Guid.NewGuid().ToString("N")[..10];
}
