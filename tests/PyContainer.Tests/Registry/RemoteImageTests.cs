using PyContainer.Diagnostics;
using PyContainer.Registry;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Registry;

public sealed class RemoteImageTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("python:3.11", "registry-1.docker.io", "library/python", "3.11", null)]
    [InlineData("python", "registry-1.docker.io", "library/python", null, null)]
    [InlineData("docker.io/python:3.11-slim", "registry-1.docker.io", "library/python", "3.11-slim", null)]
    [InlineData("docker.io/library/python", "registry-1.docker.io", "library/python", null, null)]
    [InlineData("index.docker.io/team/app:1", "registry-1.docker.io", "team/app", "1", null)]
    [InlineData("team/app:1", "registry-1.docker.io", "team/app", "1", null)]
    [InlineData("localhost/app", "localhost", "app", null, null)]
    [InlineData("localhost:5000/pycontainer-test/python:3.11-bookworm", "localhost:5000", "pycontainer-test/python", "3.11-bookworm", null)]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000", "app", null, null)]
    [InlineData("ghcr.io/org/app@" + Digest, "ghcr.io", "org/app", null, Digest)]
    [InlineData("python:3.12-slim@" + Digest, "registry-1.docker.io", "library/python", "3.12-slim", Digest)]
    [InlineData("registry.example.com:443/a/b/c:v1", "registry.example.com:443", "a/b/c", "v1", null)]
    public void Parse_normalizes_as_docker_does(string value, string registry, string repository, string? tag, string? digest)
    {
        RemoteImage image = RemoteImage.Parse(value);

        Assert.Equal(new RemoteImage(registry, repository, tag, digest), image);
    }

    [Theory]
    [InlineData("python:3.11")]
    [InlineData("python")]
    [InlineData("docker.io/team/app")]
    [InlineData("localhost:5000/a/b:c")]
    [InlineData("ghcr.io/org/app:1@" + Digest)]
    [InlineData("[::1]:5000/app:1")]
    public void ToString_is_a_reference_Parse_reads_back_with_the_registry_written_out(string value)
    {
        RemoteImage image = RemoteImage.Parse(value);

        string written = image.ToString();

        Assert.StartsWith(image.Registry + "/", written, StringComparison.Ordinal);
        Assert.Equal(image, RemoteImage.Parse(written));
    }

    [Theory]
    [InlineData("python:3.11", "3.11")]
    [InlineData("python", "latest")]
    [InlineData("python:3.11@" + Digest, Digest)]
    [InlineData("python@" + Digest, Digest)]
    public void Reference_is_the_digest_else_the_tag_else_latest(string value, string reference)
    {
        Assert.Equal(reference, RemoteImage.Parse(value).Reference);
    }

    [Theory]
    [InlineData("Python:3.11")]
    [InlineData("python:3.11@sha256:123")]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("python:3.11\n")]
    public void Invalid_references_are_PYC1001_naming_the_source(string value)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidImageReference, () => RemoteImage.Parse(value, "PYCONTAINER_REGISTRY_BASE_IMAGE"));

        Assert.Contains("PYCONTAINER_REGISTRY_BASE_IMAGE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_source_is_ContainerBaseImage()
    {
        PyContainerException e = Coded.Throws(Errors.InvalidImageReference, () => RemoteImage.Parse("Python"));

        Assert.Contains("ContainerBaseImage", e.Message, StringComparison.Ordinal);
    }
}
