using PyContainer.Docker;

namespace PyContainer.Tests;

/// <summary>The pushed manifest's digest from the push's status line (all Podman 4.3's compat push reports).</summary>
public sealed class DockerPushTests
{
    [Theory]
    [InlineData("3.11-bookworm: digest: sha256:a3ded7ebc9355565bba2312149667e514437f93ffe9fc23d0a58868ceb34e695 size: 428", "sha256:a3ded7ebc9355565bba2312149667e514437f93ffe9fc23d0a58868ceb34e695")]
    [InlineData("The push refers to repository [localhost:5000/x]", null)]
    [InlineData("latest: digest: sha256:abc size: 1", null)]
    public void The_digest_comes_from_the_status_line_when_it_names_one(string status, string? expected) =>
        Assert.Equal(expected, DockerPush.DigestInStatus(status));
}
