using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>ssh:// engine addresses into the ssh command line the docker CLI's connection helper runs.</summary>
public sealed class SshEngineAddressTests
{
    private static SshEngineAddress Parse(string address) => SshEngineAddress.Parse(new EngineEndpoint(address, "DOCKER_HOST"));

    [Theory]
    [InlineData("ssh://build-host", "-o ConnectTimeout=30 -T -o BatchMode=yes -- build-host docker system dial-stdio")]
    [InlineData("ssh://builder@build-host", "-o ConnectTimeout=30 -T -o BatchMode=yes -l builder -- build-host docker system dial-stdio")]
    [InlineData("ssh://root@127.0.0.1:2223", "-o ConnectTimeout=30 -T -o BatchMode=yes -l root -p 2223 -- 127.0.0.1 docker system dial-stdio")]
    [InlineData("ssh://builder@build-host:22", "-o ConnectTimeout=30 -T -o BatchMode=yes -l builder -p 22 -- build-host docker system dial-stdio")]
    [InlineData("ssh://builder@[fd00::5]:2222", "-o ConnectTimeout=30 -T -o BatchMode=yes -l builder -p 2222 -- fd00::5 docker system dial-stdio")]
    [InlineData("ssh://builder@build-host/run/user/1000/docker.sock", "-o ConnectTimeout=30 -T -o BatchMode=yes -l builder -- build-host docker --host=unix:///run/user/1000/docker.sock system dial-stdio")]
    [InlineData("ssh://builder@build-host/", "-o ConnectTimeout=30 -T -o BatchMode=yes -l builder -- build-host docker system dial-stdio")]
    public void The_address_becomes_the_docker_CLI_s_ssh_arguments_with_BatchMode(string address, string arguments)
    {
        Assert.Equal(arguments, string.Join(' ', Parse(address).SshArguments()));
    }

    [Fact]
    public void A_host_that_looks_like_an_option_never_reaches_ssh()
    {
        Coded.Throws(Errors.InvalidEngineEndpoint, () => Parse("ssh://-oProxyCommand=x"));
    }

    [Fact]
    public void The_command_line_is_quoted_for_messages()
    {
        Assert.Equal(
            "ssh -o ConnectTimeout=30 -T -o BatchMode=yes -l root -p 2223 -- 127.0.0.1 docker system dial-stdio",
            Parse("ssh://root@127.0.0.1:2223").CommandLine());
    }

    [Theory]
    [InlineData("ssh://me:hunter2@build-host", "a password in the address is not supported")]
    [InlineData("ssh://build-host?socket=x", "ssh:// takes no query or fragment")]
    [InlineData("ssh://build-host#x", "ssh:// takes no query or fragment")]
    [InlineData("ssh://", "it names no host")]
    public void A_malformed_ssh_address_is_PYC3008_without_echoing_a_password(string address, string why)
    {
        var e = Coded.Throws(Errors.InvalidEngineEndpoint, () => Parse(address));

        Assert.Contains("from DOCKER_HOST is not valid: " + why, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ssh_endpoint_passes_the_form_check()
    {
        EngineEndpointCheck.Validate(new EngineEndpoint("ssh://root@127.0.0.1:2223", "DOCKER_HOST"));
    }
}
