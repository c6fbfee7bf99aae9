using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>Endpoint mistakes are reported against where the value came from, with the form to use.</summary>
public sealed class EngineEndpointCheckTests
{
    [Theory]
    [InlineData("/var/run/docker.sock", "a socket path needs 'unix://' in front: 'unix:///var/run/docker.sock'")]
    [InlineData("localhost:2375", "it has no scheme; for an engine listening on TCP write 'tcp://localhost:2375'")]
    [InlineData("unix://var/run/docker.sock", "unix:// takes an absolute socket path, so three slashes: 'unix:///var/run/docker.sock'")]
    [InlineData("tcp://:2375", "tcp:// takes a host and port")]
    [InlineData("ssh://me@build-host?x=1", "ssh:// takes no query or fragment")]
    [InlineData("file:///var/run/docker.sock", "the scheme 'file' is not one an engine listens on")]
    public void A_malformed_endpoint_is_PYC3008_naming_its_source_and_the_form(string address, string why)
    {
        foreach (string source in new[] { "the ContainerEngineEndpoint property", "DOCKER_HOST", "the docker context 'remote'" })
        {
            PyContainerException e = Coded.Throws(Errors.InvalidEngineEndpoint, () => EngineEndpointCheck.Validate(new EngineEndpoint(address, source)));

            Assert.Contains($"The engine endpoint '{address}' from {source} is not valid: {why}", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("The URI scheme", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock")]
    [InlineData("tcp://127.0.0.1:2376")]
    [InlineData("TCP://build-host:2375")]
    [InlineData("https://engine.example.com:2376")]
    [InlineData("npipe:////./pipe/docker_engine")]
    public void Well_formed_endpoints_pass(string address)
    {
        EngineEndpointCheck.Validate(new EngineEndpoint(address, "DOCKER_HOST"));
    }

    [Fact]
    public async Task A_missing_socket_is_PYC3001_saying_so_and_where_the_endpoint_came_from()
    {
        string socket = Path.Combine(Path.GetTempPath(), "pycontainer-absent-" + Guid.NewGuid().ToString("N") + ".sock");

        var e = await Assert.ThrowsAsync<PyContainerException>(() => DockerEngine.ConnectAsync("unix://" + socket, CancellationToken.None));

        Assert.Equal(Errors.EngineUnreachable, e.Code);
        Assert.Contains($"(from the ContainerEngineEndpoint property) did not answer: no socket exists at {socket}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Cannot assign requested address", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_without_unix_is_PYC3008_before_any_connection()
    {
        var e = await Assert.ThrowsAsync<PyContainerException>(() => DockerEngine.ConnectAsync("/var/run/docker.sock", CancellationToken.None));

        Assert.Equal(Errors.InvalidEngineEndpoint, e.Code);
        Assert.Contains("from the ContainerEngineEndpoint property", e.Message, StringComparison.Ordinal);
        Assert.Contains("'unix:///var/run/docker.sock'", e.Message, StringComparison.Ordinal);
    }
}
