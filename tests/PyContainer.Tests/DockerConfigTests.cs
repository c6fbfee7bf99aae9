using System.Text;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Images;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>One docker config folder and config.json, read once, for credentials and the engine endpoint alike.</summary>
public sealed class DockerConfigTests : IDisposable
{
    private readonly TestProject _root = new();
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public void Dispose() => _root.Dispose();

    private string? Environment(string name) => _environment.GetValueOrDefault(name);

    private DockerConfig FromEnvironment() => DockerConfig.FromEnvironment(Environment, _root.Directory);

    private static string Auth(string userAndPassword) => Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    [Fact]
    public void DOCKER_CONFIG_names_the_folder()
    {
        _environment["DOCKER_CONFIG"] = "/etc/docker-client";
        _environment["HOME"] = "/home/dev";
        _environment["USERPROFILE"] = "/home/dev";

        DockerConfig config = FromEnvironment();

        Assert.Equal(Path.Combine(_root.Directory, "etc/docker-client"), config.Directory);
        Assert.Equal(Path.Combine(_root.Directory, "etc/docker-client", "config.json"), config.FilePath);
    }

    [Fact]
    public void Otherwise_the_folder_is_dot_docker_in_the_home_the_docker_CLI_uses()
    {
        _environment["HOME"] = "/home/dev";
        _environment["USERPROFILE"] = "/home/dev";

        Assert.Equal(Path.Combine(_root.Directory, "home/dev", ".docker"), FromEnvironment().Directory);
    }

    [Fact]
    public void No_file_means_an_empty_config()
    {
        _environment["HOME"] = "/home/dev";

        DockerConfig config = FromEnvironment();

        Assert.Equal((null, 0, 0, null), (config.CurrentContext, config.Auths.Count, config.CredentialHelpers.Count, config.CredentialStore));
    }

    [Fact]
    public void Every_section_is_read_from_one_file()
    {
        _environment["DOCKER_CONFIG"] = "/cfg";
        _root.Write("cfg/config.json", $$"""
            {
              "auths": { "localhost:5000": { "auth": "{{Auth("u:p:w")}}" }, "ghcr.io": { "identitytoken": "tok" }, "empty": {} },
              "credHelpers": { "registry.example.com": "ecr-login" },
              "credsStore": "desktop",
              "currentContext": "remote"
            }
            """);

        DockerConfig config = FromEnvironment();

        Assert.Equal(("u", "p:w"), (config.Auths["localhost:5000"].Username, config.Auths["localhost:5000"].Password));
        Assert.Equal("tok", config.Auths["ghcr.io"].IdentityToken);
        Assert.False(config.Auths.ContainsKey("empty"));
        Assert.Equal("ecr-login", config.CredentialHelpers["registry.example.com"]);
        Assert.Equal(("desktop", "remote"), (config.CredentialStore, config.CurrentContext));
    }

    [Fact]
    public void The_file_is_read_once()
    {
        _environment["DOCKER_CONFIG"] = "/cfg";
        string path = _root.Write("cfg/config.json", """{ "currentContext": "first" }""");
        DockerConfig config = FromEnvironment();
        Assert.Equal("first", config.CurrentContext);

        File.WriteAllText(path, """{ "currentContext": "second" }""");

        Assert.Equal("first", config.CurrentContext);
    }

    /// <summary>The exact malformed file of docs/bad-input.md: a trailing comma, as hand edits leave.</summary>
    public const string MalformedConfig = """
        {
          "auths": {
            "localhost:5000": { "auth": "dXNlcjpwYXNz" },
          }
        }
        """;

    [Theory]
    [InlineData(MalformedConfig, "is not valid JSON")]
    [InlineData("", "is not valid JSON")]
    [InlineData("[]", "holds a JSON array, not an object")]
    [InlineData("""{ "auths": { "localhost:5000": { "auth": "not base64!" } } }""", "\"auths\" entry 'localhost:5000' is not base64")]
    public void A_malformed_config_json_is_PYC3009_naming_the_file_and_the_fix(string json, string why)
    {
        _environment["DOCKER_CONFIG"] = "/cfg";
        string path = _root.Write("cfg/config.json", json);
        DockerConfig config = FromEnvironment();

        PyContainerException e = Coded.Throws(Errors.DockerConfigInvalid, () => config.Auths);

        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("DOCKER_CONFIG", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpwYXNz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_config_json_fails_credentials_and_the_endpoint_alike()
    {
        _environment["DOCKER_CONFIG"] = "/cfg";
        _root.Write("cfg/config.json", MalformedConfig);

        Coded.Throws(Errors.DockerConfigInvalid, () => RegistryCredentials.Resolve("localhost:5000", FromEnvironment(), Environment));
        Coded.Throws(Errors.DockerConfigInvalid, () => EngineEndpoint.Resolve(null, Environment, _root.Directory));
    }

    [Fact]
    public void A_malformed_config_json_is_not_read_when_nothing_needs_it()
    {
        _environment["DOCKER_CONFIG"] = "/cfg";
        _environment["DOCKER_HOST"] = "tcp://127.0.0.1:2375";
        _environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = "user";
        _environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = "secret";
        _root.Write("cfg/config.json", MalformedConfig);
        DockerConfig config = FromEnvironment();

        Assert.Equal("tcp://127.0.0.1:2375", EngineEndpoint.Resolve(null, Environment, config, _root.Directory).Address);
        Assert.Equal("user", RegistryCredentials.Resolve("localhost:5000", config, Environment).Username);
    }

    [Fact]
    public void Credentials_and_the_endpoint_read_the_same_folder()
    {
        _environment["DOCKER_CONFIG"] = "/cfg";
        _environment["HOME"] = "/home/dev";
        _root.Write("cfg/config.json", $$"""{ "auths": { "localhost:5000": { "auth": "{{Auth("cfg:secret")}}" } }, "currentContext": "remote" }""");
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("remote"))).ToLowerInvariant();
        _root.Write($"cfg/contexts/meta/{hash}/meta.json", """{ "Endpoints": { "docker": { "Host": "tcp://remote:2376" } } }""");
        DockerConfig config = FromEnvironment();

        RegistryCredential credential = RegistryCredentials.Resolve("localhost:5000", config, Environment);
        EngineEndpoint endpoint = EngineEndpoint.Resolve(null, Environment, config, _root.Directory);

        Assert.Equal("cfg", credential.Username);
        Assert.Equal(("tcp://remote:2376", "the docker context 'remote'"), (endpoint.Address, endpoint.Source));
    }

    [Fact]
    public void TLS_certificates_default_to_the_config_folder_as_the_docker_CLI_does()
    {
        _environment["DOCKER_CONFIG"] = "/cfg";
        _environment["DOCKER_HOST"] = "tcp://127.0.0.1:2376";
        _environment["DOCKER_TLS_VERIFY"] = "1";

        Assert.Equal(Path.Combine(_root.Directory, "cfg"), EngineEndpoint.Resolve(null, Environment, _root.Directory).TlsCertificateDirectory);
    }

    [Fact]
    public void Credentials_never_print()
    {
        var credential = new RegistryCredential("localhost:5000", "test", "user", "hunter2");
        var auth = new DockerConfigAuth("user", "hunter2", "token");

        Assert.DoesNotContain("hunter2", credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", auth.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("token", auth.ToString(), StringComparison.Ordinal);
    }
}
