using System.Net;
using PyContainer.Daemonless;
using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;
using PyContainer.Tests.Registry;
using PyContainer.Tests.TestSupport;
using static PyContainer.Tests.Registry.ScriptedRegistry;

namespace PyContainer.Tests.Daemonless;

/// <summary>A base image read for several platforms: every platform is checked against its index before anything else is read.</summary>
public sealed class BaseImagePlatformsTests : IDisposable
{
    private readonly TestProject _folder = new();
    private readonly RecordingLog _log = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_platform_the_base_index_lacks_is_PYC4007_before_any_platform_manifest_or_layer_is_read()
    {
        var amd64 = new Descriptor(MediaTypes.OciManifest, "sha256:" + new string('1', 64), 100) { Platform = new Platform("amd64", "linux") };
        var arm64 = new Descriptor(MediaTypes.OciManifest, "sha256:" + new string('2', 64), 100) { Platform = new Platform("arm64", "linux") { Variant = "v8" } };
        byte[] index = new OciIndex([amd64, arm64]).ToJson();
        using var registry = new ScriptedRegistry((request, _) => request.RequestUri!.AbsolutePath.EndsWith("/manifests/3.11", StringComparison.Ordinal)
            ? Answer(HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(index), MediaTypes.OciIndex)
            : Answer(HttpStatusCode.OK));
        using RegistryClient client = registry.Client("reg.test");
        IReadOnlyList<Platform> platforms = ContainerPlatform.ParseAll("linux-x64;linux-s390x", null).Select(p => p.Oci).ToList();

        PyContainerException e = await Assert.ThrowsAsync<PyContainerException>(() => BaseImage.ResolveAsync(
            RemoteImage.Parse("reg.test/python:3.11"), platforms, client, new DownloadCache(_folder.PathOf("cache")), _log, CancellationToken.None));

        Assert.Equal(Errors.PlatformNotInIndex, e.Code);
        Assert.Contains("linux/s390x", e.Message, StringComparison.Ordinal);
        Assert.Contains("linux/amd64, linux/arm64/v8", e.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerRuntimeIdentifiers", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Requests, r => r.Uri.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal) || r.Uri.AbsolutePath.Contains(amd64.Digest, StringComparison.Ordinal));
    }
}
