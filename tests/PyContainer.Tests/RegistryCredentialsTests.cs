using System.Text;
using PyContainer.Docker;
using PyContainer.Images;
using PyContainer.Python;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class RegistryCredentialsTests : IDisposable
{
    private readonly TestProject _home = new();
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public void Dispose() => _home.Dispose();

    private string? Environment(string name) => _environment.GetValueOrDefault(name);

    private static string Auth(string userAndPassword) => Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private string Config(string json) => _home.Write("docker/config.json", json);

    private string ConfigWith(string key, string userAndPassword) =>
        Config($$"""{ "auths": { "{{key}}": { "auth": "{{Auth(userAndPassword)}}" } } }""");

    /// <summary>A path where no config exists, so that the developer's own ~/.docker never leaks in.</summary>
    private string NoConfig => _home.PathOf("none/config.json");

    [Fact]
    public void Push_variables_win_over_the_plain_ones_and_the_config()
    {
        _environment["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = "pusher";
        _environment["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = "push-secret";
        _environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = "plain";
        _environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = "plain-secret";

        RegistryCredential auth = RegistryCredentials.Find("localhost:5000", Environment, ConfigWith("localhost:5000", "config:secret"));

        Assert.Equal(("pusher", "push-secret", "localhost:5000"), (auth.Username, auth.Password, auth.ServerAddress));
    }

    [Fact]
    public void Plain_variables_win_over_the_config()
    {
        _environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = "plain";
        _environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = "plain-secret";

        RegistryCredential auth = RegistryCredentials.Find("localhost:5000", Environment, ConfigWith("localhost:5000", "config:secret"));

        Assert.Equal(("plain", "plain-secret"), (auth.Username, auth.Password));
    }

    [Fact]
    public void A_user_without_a_password_is_passed_over()
    {
        _environment["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = "pusher";
        _environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = "plain";
        _environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = "";

        RegistryCredential auth = RegistryCredentials.Find("localhost:5000", Environment, ConfigWith("localhost:5000", "config:secret"));

        Assert.Equal(("config", "secret"), (auth.Username, auth.Password));
    }

    [Theory]
    [InlineData("localhost:5000", "localhost:5000")]
    [InlineData("https://localhost:5000", "localhost:5000")]
    [InlineData("http://localhost:5000/v2/", "localhost:5000")]
    [InlineData("Registry.Example.com", "registry.example.com")]
    [InlineData("https://registry.example.com/v1/", "registry.example.com")]
    public void Config_auths_match_by_host(string key, string registry)
    {
        RegistryCredential auth = RegistryCredentials.Find(registry, Environment, ConfigWith(key, "user:pa:ss"));

        Assert.Equal(("user", "pa:ss", registry), (auth.Username, auth.Password, auth.ServerAddress));
    }

    [Fact]
    public void Config_auths_of_another_registry_or_port_do_not_match()
    {
        string config = Config($$"""
            {
              "auths": {
                "localhost:5001": { "auth": "{{Auth("a:b")}}" },
                "https://other.example.com/v1/": { "auth": "{{Auth("c:d")}}" }
              }
            }
            """);

        RegistryCredential auth = RegistryCredentials.Find("localhost:5000", Environment, config);

        Assert.Null(auth.Username);
        Assert.Null(auth.Password);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("docker.io")]
    [InlineData("registry-1.docker.io")]
    [InlineData("index.docker.io")]
    public void Docker_Hub_uses_the_key_docker_login_writes(string? registry)
    {
        RegistryCredential auth = RegistryCredentials.Find(registry, Environment, ConfigWith("https://index.docker.io/v1/", "hubuser:hubtoken"));

        Assert.Equal(("hubuser", "hubtoken"), (auth.Username, auth.Password));
    }

    [Fact]
    public void Docker_Hub_is_the_server_when_no_registry_is_given()
    {
        Assert.Equal("https://index.docker.io/v1/", RegistryCredentials.Find(null, Environment, NoConfig).ServerAddress);
    }

    [Fact]
    public void DOCKER_CONFIG_names_the_config_folder()
    {
        ConfigWith("localhost:5000", "from:docker-config");
        _environment["DOCKER_CONFIG"] = _home.PathOf("docker");

        RegistryCredential auth = RegistryCredentials.Find("localhost:5000", Environment);

        Assert.Equal(("from", "docker-config"), (auth.Username, auth.Password));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "auths": [] }""")]
    [InlineData("""{ "auths": { "localhost:5000": {} } }""")]
    [InlineData("""{ "auths": { "localhost:5000": { "auth": "" } } }""")]
    public void Anonymous_when_the_config_has_no_usable_entry(string json)
    {
        RegistryCredential auth = RegistryCredentials.Find("localhost:5000", Environment, Config(json));

        Assert.Equal((null, null, "localhost:5000"), (auth.Username, auth.Password, auth.ServerAddress));
    }

    /// <summary>Stands in for docker-credential-NAME: tests never start a real helper.</summary>
    private readonly List<(string Name, string Server)> _helperCalls = [];

    private CredentialHelperResult Helper(string name, string server)
    {
        _helperCalls.Add((name, server));
        return name == "missing" ? CredentialHelperResult.None("is not installed") : new CredentialHelperResult(name + "-user", name + "-secret");
    }

    [Fact]
    public void CredHelpers_entry_of_the_registry_is_asked_by_host()
    {
        string config = Config("""{ "credHelpers": { "other.example.com": "other", "https://registry.example.com": "ecr-login" }, "credsStore": "desktop" }""");

        RegistryCredential credential = RegistryCredentials.Find("registry.example.com", Environment, config, Helper);

        Assert.Equal(("ecr-login-user", "ecr-login-secret"), (credential.Username, credential.Password));
        Assert.Equal([("ecr-login", "registry.example.com")], _helperCalls);
        Assert.DoesNotContain("secret", credential.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void CredsStore_is_the_fallback_and_auths_win_over_it()
    {
        string config = Config($$"""{ "auths": { "localhost:5000": { "auth": "{{Auth("a:b")}}" }, "localhost:5001": {} }, "credsStore": "desktop" }""");

        RegistryCredential fromAuths = RegistryCredentials.Find("localhost:5000", Environment, config, Helper);
        RegistryCredential fromStore = RegistryCredentials.Find("localhost:5001", Environment, config, Helper);

        Assert.Equal(("a", "b"), (fromAuths.Username, fromAuths.Password));
        Assert.Equal(("desktop-user", "desktop-secret"), (fromStore.Username, fromStore.Password));
        Assert.Equal([("desktop", "localhost:5001")], _helperCalls);
    }

    [Fact]
    public void Docker_Hub_is_asked_of_a_helper_by_its_v1_url()
    {
        RegistryCredentials.Find(null, Environment, Config("""{ "credsStore": "desktop" }"""), Helper);

        Assert.Equal([("desktop", "https://index.docker.io/v1/")], _helperCalls);
    }

    [Fact]
    public void Helper_without_an_entry_means_anonymous()
    {
        RegistryCredential credential = RegistryCredentials.Find("localhost:5000", Environment, Config("""{ "credsStore": "missing" }"""), Helper);

        Assert.Null(credential.Username);
        Assert.Null(credential.Password);
        Assert.Contains("anonymous", credential.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_tokens_are_passed_as_such()
    {
        string config = Config("""{ "auths": { "registry.example.com": { "identitytoken": "refresh-token" } } }""");

        RegistryCredential auth = RegistryCredentials.Find("registry.example.com", Environment, config);

        Assert.Equal("refresh-token", auth.IdentityToken);
        Assert.Null(auth.Password);
    }

    [Fact]
    public void Environment_variables_name_their_source_but_not_the_secret()
    {
        _environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = "plain";
        _environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = "plain-secret";

        RegistryCredential credential = RegistryCredentials.Find("localhost:5000", Environment, NoConfig, Helper);

        Assert.Contains("DOTNET_CONTAINER_REGISTRY_UNAME", credential.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-secret", credential.Source, StringComparison.Ordinal);
        Assert.Empty(_helperCalls);
    }

    [Fact]
    public void Anonymous_when_the_auth_has_no_colon()
    {
        RegistryCredential auth = RegistryCredentials.Find("localhost:5000", Environment, ConfigWith("localhost:5000", "justauser"));

        Assert.Null(auth.Username);
    }

    [Fact]
    public void Anonymous_when_nothing_is_found()
    {
        RegistryCredential auth = RegistryCredentials.Find("localhost:5000", Environment, NoConfig);

        Assert.Equal((null, null, "localhost:5000"), (auth.Username, auth.Password, auth.ServerAddress));
    }
}
