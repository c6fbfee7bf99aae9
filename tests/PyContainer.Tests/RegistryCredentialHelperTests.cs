using PyContainer.Docker;
using PyContainer.Images;
using PyContainer.Python;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>credHelpers and credsStore, after the variables and auths.</summary>
public sealed class RegistryCredentialHelperTests : IDisposable
{
    private readonly TestProject _home = new();
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly List<(string Helper, string Server)> _calls = [];

    public void Dispose() => _home.Dispose();

    private RegistryCredential Resolve(string? registry, string configJson, CredentialHelperResult answer) =>
        RegistryCredentials.Find(registry, name => _environment.GetValueOrDefault(name), _home.Write("docker/config.json", configJson), (helper, server) =>
        {
            _calls.Add((helper, server));
            return answer;
        });

    [Fact]
    public void CredHelpers_entry_of_the_registry_is_asked_by_host()
    {
        RegistryCredential credential = Resolve(
            "localhost:5001",
            """{ "credHelpers": { "https://localhost:5001": "pass", "other:5000": "wrong" }, "credsStore": "store" }""",
            new CredentialHelperResult("helper-user", "helper-secret"));

        Assert.Equal([("pass", "localhost:5001")], _calls);
        Assert.Equal(("helper-user", "helper-secret", "localhost:5001"), (credential.Username, credential.Password, credential.ServerAddress));
        Assert.Equal("docker-credential-pass (credHelpers)", credential.Source);
    }

    [Fact]
    public void CredsStore_when_no_credHelpers_entry_matches()
    {
        RegistryCredential credential = Resolve(
            "localhost:5001",
            """{ "credHelpers": { "other:5000": "wrong" }, "credsStore": "store" }""",
            new CredentialHelperResult("u", "s"));

        Assert.Equal([("store", "localhost:5001")], _calls);
        Assert.Equal("u", credential.Username);
    }

    [Fact]
    public void Docker_Hub_is_asked_by_its_v1_url()
    {
        Resolve(null, """{ "credsStore": "store" }""", new CredentialHelperResult("u", "s"));

        Assert.Equal([("store", "https://index.docker.io/v1/")], _calls);
    }

    [Fact]
    public void A_token_user_makes_the_secret_an_identity_token()
    {
        RegistryCredential auth = Resolve("registry.example.com", """{ "credsStore": "store" }""", new CredentialHelperResult("<token>", "refresh-token"));

        Assert.Equal(("refresh-token", null, null), (auth.IdentityToken, auth.Username, auth.Password));
    }

    [Fact]
    public void Auths_win_over_helpers_and_variables_over_everything()
    {
        string config = """{ "auths": { "localhost:5001": { "auth": "YTpi" } }, "credsStore": "store" }""";

        Assert.Equal("a", Resolve("localhost:5001", config, new CredentialHelperResult("u", "s")).Username);
        _environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = "env";
        _environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = "env-secret";
        Assert.Equal("env", Resolve("localhost:5001", config, new CredentialHelperResult("u", "s")).Username);
        Assert.Empty(_calls);
    }

    [Fact]
    public void Anonymous_when_the_helper_has_nothing_and_the_source_says_why_without_a_secret()
    {
        RegistryCredential credential = Resolve("localhost:5001", """{ "credsStore": "store" }""", CredentialHelperResult.None("has no credentials for localhost:5001"));

        Assert.Null(credential.Username);
        Assert.Contains("docker-credential-store", credential.Source, StringComparison.Ordinal);
        Assert.Contains("has no credentials", credential.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_token_in_auths_is_used()
    {
        RegistryCredential auth = Resolve("localhost:5001", """{ "auths": { "localhost:5001": { "identitytoken": "tok" } } }""", CredentialHelperResult.None(""));

        Assert.Equal("tok", auth.IdentityToken);
    }

    [Fact]
    public void A_missing_helper_program_means_anonymous()
    {
        CredentialHelperResult result = CredentialHelper.Get("pycontainer-test-no-such-helper", "localhost:5001");

        Assert.Null(result.Secret);
        Assert.Contains("not found on PATH", result.Absence, StringComparison.Ordinal);
    }
}
