using System.Security.Cryptography;
using System.Text;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>The engine endpoint's resolution order, against a fake file system root and environment.</summary>
public sealed class EngineEndpointTests : IDisposable
{
    private readonly TestProject _root = new();
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal) { ["HOME"] = "/home/dev" };

    public void Dispose() => _root.Dispose();

    private EngineEndpoint Resolve(string? property = null) =>
        EngineEndpoint.Resolve(property, name => _environment.GetValueOrDefault(name), _root.Directory);

    private void File(string absolutePath) => _root.Write(absolutePath.TrimStart('/'), "");

    private static string Hash(string name) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name))).ToLowerInvariant();

    private void Context(string name, string host, bool current = true)
    {
        if (current)
        {
            _root.Write("home/dev/.docker/config.json", $$"""{ "currentContext": "{{name}}" }""");
        }

        _root.Write($"home/dev/.docker/contexts/meta/{Hash(name)}/meta.json", $$"""{ "Name": "{{name}}", "Endpoints": { "docker": { "Host": "{{host}}", "SkipTLSVerify": false } } }""");
    }

    [Fact]
    public void The_property_wins_over_everything()
    {
        _environment["DOCKER_HOST"] = "tcp://from-env:2375";
        Context("remote", "tcp://from-context:2376");

        EngineEndpoint endpoint = Resolve("unix:///custom.sock");

        Assert.Equal(("unix:///custom.sock", "the ContainerEngineEndpoint property"), (endpoint.Address, endpoint.Source));
    }

    [Fact]
    public void DOCKER_HOST_wins_over_the_context_and_the_sockets()
    {
        _environment["DOCKER_HOST"] = " unix:///run/user/1000/docker.sock ";
        Context("remote", "tcp://from-context:2376");
        File("/run/podman/podman.sock");

        EngineEndpoint endpoint = Resolve();

        Assert.Equal(("unix:///run/user/1000/docker.sock", "DOCKER_HOST", null), (endpoint.Address, endpoint.Source, endpoint.TlsCertificateDirectory));
    }

    [Fact]
    public void Tcp_with_DOCKER_TLS_VERIFY_uses_DOCKER_CERT_PATH()
    {
        _environment["DOCKER_HOST"] = "tcp://127.0.0.1:2376";
        _environment["DOCKER_TLS_VERIFY"] = "1";
        _environment["DOCKER_CERT_PATH"] = "/certs";

        Assert.Equal(Path.Combine(_root.Directory, "certs"), Resolve().TlsCertificateDirectory);
    }

    [Fact]
    public void Tcp_with_DOCKER_TLS_VERIFY_and_no_cert_path_uses_the_docker_folder()
    {
        _environment["DOCKER_HOST"] = "tcp://127.0.0.1:2376";
        _environment["DOCKER_TLS_VERIFY"] = "1";

        Assert.Equal(Path.Combine(_root.Directory, "home/dev/.docker"), Resolve().TlsCertificateDirectory);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:2375", null)]
    [InlineData("unix:///var/run/docker.sock", "1")]
    public void No_TLS_without_DOCKER_TLS_VERIFY_or_for_sockets(string host, string? verify)
    {
        _environment["DOCKER_HOST"] = host;
        if (verify is not null)
        {
            _environment["DOCKER_TLS_VERIFY"] = verify;
        }

        Assert.Null(Resolve().TlsCertificateDirectory);
    }

    [Fact]
    public void The_current_context_of_config_json_comes_next()
    {
        Context("colima", "unix:///home/dev/.colima/default/docker.sock");
        File("/var/run/docker.sock");

        EngineEndpoint endpoint = Resolve();

        Assert.Equal(("unix:///home/dev/.colima/default/docker.sock", "the docker context 'colima'"), (endpoint.Address, endpoint.Source));
    }

    [Fact]
    public void DOCKER_CONTEXT_overrides_currentContext_and_DOCKER_CONFIG_moves_the_folder()
    {
        _environment["DOCKER_CONFIG"] = "/etc/dockercfg";
        _environment["DOCKER_CONTEXT"] = "ci";
        _root.Write($"etc/dockercfg/contexts/meta/{Hash("ci")}/meta.json", """{ "Name": "ci", "Endpoints": { "docker": { "Host": "tcp://ci:2376" } } }""");
        _root.Write($"etc/dockercfg/contexts/tls/{Hash("ci")}/docker/cert.pem", "");

        EngineEndpoint endpoint = Resolve();

        Assert.Equal("tcp://ci:2376", endpoint.Address);
        Assert.Equal(Path.Combine(_root.Directory, $"etc/dockercfg/contexts/tls/{Hash("ci")}/docker"), endpoint.TlsCertificateDirectory);
    }

    [Fact]
    public void The_default_context_falls_through_to_the_socket()
    {
        _root.Write("home/dev/.docker/config.json", """{ "currentContext": "default" }""");

        Assert.Equal("unix:///var/run/docker.sock", Resolve().Address);
    }

    [Fact]
    public void A_current_context_that_does_not_exist_is_PYC3030_naming_it_and_config_json()
    {
        string config = _root.Write("home/dev/.docker/config.json", """{ "currentContext": "missing" }""");

        var e = Coded.Throws(Errors.DockerContextMissing, () => Resolve());

        Assert.Contains($"The docker context 'missing' (chosen by the currentContext of {config}) cannot be used: no context of that name exists", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_DOCKER_CONTEXT_that_does_not_exist_is_PYC3030_naming_it_even_with_a_current_one()
    {
        Context("colima", "unix:///home/dev/.colima/default/docker.sock");
        _environment["DOCKER_CONTEXT"] = "ci";

        var e = Coded.Throws(Errors.DockerContextMissing, () => Resolve());

        Assert.Contains("The docker context 'ci' (chosen by DOCKER_CONTEXT) cannot be used", e.Message, StringComparison.Ordinal);
        Assert.Contains("docker context create ci", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DOCKER_HOST_wins_over_a_missing_context()
    {
        _environment["DOCKER_CONTEXT"] = "ci";
        _environment["DOCKER_HOST"] = "tcp://10.0.0.5:2375";

        Assert.Equal("tcp://10.0.0.5:2375", Resolve().Address);
    }

    [Fact]
    public void Podman_socket_of_the_user_when_docker_has_none()
    {
        _environment["XDG_RUNTIME_DIR"] = "/run/user/1000";
        File("/run/user/1000/podman/podman.sock");
        File("/run/podman/podman.sock");

        Assert.Equal("unix:///run/user/1000/podman/podman.sock", Resolve().Address);
    }

    [Fact]
    public void Rootful_Podman_socket_when_there_is_no_user_one()
    {
        _environment["XDG_RUNTIME_DIR"] = "/run/user/1000";
        File("/run/podman/podman.sock");

        Assert.Equal("unix:///run/podman/podman.sock", Resolve().Address);
    }

    [Fact]
    public void Docker_socket_wins_over_Podman_when_both_exist()
    {
        File("/var/run/docker.sock");
        File("/run/podman/podman.sock");

        EngineEndpoint endpoint = Resolve();

        Assert.Equal(("unix:///var/run/docker.sock", EngineEndpoint.DefaultSource), (endpoint.Address, endpoint.Source));
    }

    [Fact]
    public void Docker_socket_is_the_default_even_when_absent()
    {
        Assert.Equal("unix:///var/run/docker.sock", Resolve().Address);
    }

    [Fact]
    public void A_current_context_whose_meta_json_is_not_JSON_is_PYC3009()
    {
        _root.Write("home/dev/.docker/config.json", """{ "currentContext": "broken" }""");
        string meta = _root.Write($"home/dev/.docker/contexts/meta/{Hash("broken")}/meta.json", """{ "Endpoints": """);

        var e = Coded.Throws(Errors.DockerConfigInvalid, () => Resolve());

        Assert.Contains($"'{meta}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be used: it is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{ "Endpoints": [] }""")]
    [InlineData("""{ "Endpoints": { "docker": { "Host": 2375 } } }""")]
    public void A_context_without_a_docker_host_is_PYC3030(string metaJson)
    {
        Context("odd", "unused");
        string meta = _root.Write($"home/dev/.docker/contexts/meta/{Hash("odd")}/meta.json", metaJson);

        var e = Coded.Throws(Errors.DockerContextMissing, () => Resolve());

        Assert.Contains($"The docker context 'odd' (chosen by the currentContext of ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"its {meta} names no docker endpoint", e.Message, StringComparison.Ordinal);
    }
}
