using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("python:3.11-slim", null, "python", "3.11-slim", null)]
    [InlineData("python", null, "python", null, null)]
    [InlineData("localhost:5000/samples/flask-hello:1.0", "localhost:5000", "samples/flask-hello", "1.0", null)]
    [InlineData("localhost/app", "localhost", "app", null, null)]
    [InlineData("registry.example.com:443/a/b@" + Digest, "registry.example.com:443", "a/b", null, Digest)]
    [InlineData("python:3.12-slim@" + Digest, null, "python", "3.12-slim", Digest)]
    [InlineData("ghcr.io/org/app:v1.2_3", "ghcr.io", "org/app", "v1.2_3", null)]
    [InlineData("library/python:3.12", null, "library/python", "3.12", null)]
    [InlineData("my_org/my__app-x--y:latest", null, "my_org/my__app-x--y", "latest", null)]
    public void Parse_splits_valid_references(string value, string? registry, string repository, string? tag, string? digest)
    {
        ImageReference reference = ImageReference.Parse(value, "ContainerBaseImage");

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(value, reference.ToString());
    }

    [Fact]
    public void Name_is_registry_and_repository_without_tag()
    {
        ImageReference reference = ImageReference.Parse("localhost:5000/samples/flask-hello:1.0", "ContainerRepository");

        Assert.Equal("localhost:5000/samples/flask-hello", reference.Name);
    }

    [Fact]
    public void Tag_of_128_characters_is_valid()
    {
        string tag = "v" + new string('1', 127);

        Assert.Equal(tag, ImageReference.Parse("python:" + tag, "ContainerBaseImage").Tag);
    }

    public static TheoryData<string> InvalidReferences() =>
    [
        "Python:3.12",
        "python:3.12/Upper",
        "",
        "   ",
        "python:3.12!",
        "python:3 12",
        "python:" + new string('a', 129),
        "python:.hidden",
        "python:-dash",
        "python:",
        new string('b', 256),
        "ghcr.io/" + new string('a', 256),
        "python@sha256:abc",
        "python@md5:0123456789abcdef0123456789abcdef",
        "python@sha256:" + new string('A', 64),
        "python@",
        "a//b",
        "/a",
        "a/",
        "a..b",
        "-a",
        "bad_host.example.com:port/app",
        "python:3.12\n",
        "python\n:3.12",
        "python:3.12\nRUN rm -rf /",
        "python@" + Digest + "\n",
        "reg.io\n/python",
    ];

    [Theory]
    [MemberData(nameof(InvalidReferences))]
    public void Parse_refuses_invalid_references_naming_the_property(string value)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidImageReference, () => ImageReference.Parse(value, "ContainerBaseImage"));

        Assert.Contains("is not a valid image reference for ContainerBaseImage", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:5000", "samples/flask-hello", "1.0", "localhost:5000", "samples/flask-hello", "1.0")]
    [InlineData("", "app", "latest", null, "app", "latest")]
    [InlineData(null, "team/app", null, null, "team/app", null)]
    public void FromParts_builds_a_reference(string? registry, string repository, string? tag, string? expectedRegistry, string expectedRepository, string? expectedTag)
    {
        ImageReference reference = ImageReference.FromParts(registry, repository, tag, "ContainerImageTag");

        Assert.Equal(new ImageReference(expectedRegistry, expectedRepository, expectedTag, null), reference);
    }

    [Theory]
    [InlineData("bad tag")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("")]
    [InlineData("1.0\n")]
    [InlineData("1.0\nRUN id")]
    public void FromParts_refuses_a_bad_tag_with_PYC1016(string tag)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidTag, () => ImageReference.FromParts("localhost:5000", "app", tag, "ContainerImageTags"));

        Assert.Contains("from ContainerImageTags is not valid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromParts_refuses_a_tag_of_129_characters()
    {
        PyContainerException e = Coded.Throws(Errors.InvalidTag, () => ImageReference.FromParts(null, "app", new string('a', 129), "ContainerImageTag"));

        Assert.Contains("up to 128 characters of letters, digits", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:5000", "App")]
    [InlineData("localhost:5000", "")]
    [InlineData("localhost:5000", "a//b")]
    [InlineData("localhost:5000", "app\n")]
    public void FromParts_refuses_a_bad_repository_naming_the_property(string registry, string repository)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidImageReference, () => ImageReference.FromParts(registry, repository, "1.0", "ContainerRepository"));

        Assert.Contains("is not a valid image reference for ContainerRepository", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000", "it is a URL", "localhost:5000")]
    [InlineData("https://registry.example.com/", "it is a URL", "registry.example.com")]
    [InlineData("localhost:5000/", "it holds a '/'", "localhost:5000")]
    [InlineData("localhost:5000/team", "it holds a '/'", "localhost:5000")]
    [InlineData("bad host", "it holds white space", "registry.example.com:5000")]
    [InlineData("localhost:5000\n", "it holds white space", "localhost:5000")]
    [InlineData("-bad.example.com", "it is not a host name", "registry.example.com:5000")]
    public void FromParts_refuses_a_bad_registry_naming_ContainerRegistry_with_the_right_form(string registry, string why, string rightForm)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidRegistry, () => ImageReference.FromParts(registry, "app", "1.0", "ContainerRepository/ContainerImageTags"));

        Assert.Contains($"ContainerRegistry '{registry}' is not valid: {why}", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"-p:ContainerRegistry={rightForm}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ContainerRepository", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:5000")]
    [InlineData("127.0.0.1:5001")]
    [InlineData("registry.example.com")]
    [InlineData("[::1]:5000")]
    [InlineData("ghcr.io")]
    public void Registries_given_as_host_and_port_are_valid(string registry)
    {
        Assert.Equal(registry, ImageReference.FromParts(registry, "app", "1.0", "ContainerRepository").Registry);
    }

    [Fact]
    public void FromParts_refuses_a_repository_longer_than_255_characters()
    {
        PyContainerException e = Coded.Throws(Errors.InvalidImageReference, () => ImageReference.FromParts(null, new string('a', 256), null, "ContainerRepository"));

        Assert.Contains("is not a valid image reference for ContainerRepository", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("python:3.12-alpine", true)]
    [InlineData("python:3.12-alpine3.20", true)]
    [InlineData("alpine", true)]
    [InlineData("library/alpine:3.20", true)]
    [InlineData("python:3.12-slim", false)]
    [InlineData("python:3.12", false)]
    public void IsAlpine_recognizes_musl_images(string value, bool expected)
    {
        Assert.Equal(expected, ImageReference.Parse(value, "ContainerBaseImage").IsAlpine);
    }
}
