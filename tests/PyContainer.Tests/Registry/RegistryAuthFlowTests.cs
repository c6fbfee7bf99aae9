using System.Net;
using System.Text;
using PyContainer.Diagnostics;
using PyContainer.Images;
using PyContainer.Oci;
using PyContainer.Registry;
using static PyContainer.Tests.Registry.ScriptedRegistry;

namespace PyContainer.Tests.Registry;

public sealed class RegistryAuthFlowTests
{
    private const string Manifest = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}""";
    private const string Password = "s3cret-pa55";
    private static readonly string BlobDigest = "sha256:" + new string('b', 64);

    private static readonly RegistryCredential UserAndPassword = new("reg.test", "DOTNET_CONTAINER_REGISTRY_UNAME/_PWORD", "me", Password);

    private static string BasicOf(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>A registry behind a token server, as Docker Hub, ghcr.io and ACR are.</summary>
    private static ScriptedRegistry TokenRegistry(Func<HttpRequestMessage, byte[]?, HttpResponseMessage>? tokenServer = null)
    {
        int issued = 0;
        return new ScriptedRegistry((request, body) =>
        {
            string path = request.RequestUri!.AbsolutePath;
            if (request.RequestUri.Host == "auth.test")
            {
                return tokenServer?.Invoke(request, body)
                    ?? Answer(HttpStatusCode.OK, $$"""{"token":"T{{++issued}}","expires_in":300}""");
            }

            string? auth = request.Headers.Authorization?.ToString();
            if (auth is null || !auth.StartsWith("Bearer T", StringComparison.Ordinal))
            {
                return Challenge("Bearer realm=\"https://auth.test/token\",service=\"reg.test\"");
            }

            return path switch
            {
                "/v2/team/app/manifests/1" or "/v2/team/app/manifests/2" => Answer(HttpStatusCode.OK, Manifest, MediaTypes.OciManifest),
                _ when path.StartsWith("/v2/other/", StringComparison.Ordinal) => Answer(HttpStatusCode.NotFound),
                _ => Answer(HttpStatusCode.NotFound, """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"""),
            };
        });
    }

    [Fact]
    public async Task Bearer_tokens_are_fetched_with_Basic_credentials_and_cached_per_scope()
    {
        using var handler = TokenRegistry();
        using RegistryClient client = handler.Client("reg.test", UserAndPassword);

        ManifestResponse first = await client.GetManifestAsync("team/app", "1", default);
        await client.GetManifestAsync("team/app", "2", default);
        Assert.False(await client.BlobExistsAsync("other/repo", BlobDigest, default));

        Assert.Equal(MediaTypes.OciManifest, first.MediaType);
        var tokenRequests = handler.Requests.Where(r => r.Uri.Host == "auth.test").ToList();
        Assert.Equal(2, tokenRequests.Count); // team/app once, other/repo once
        Assert.All(tokenRequests, r => Assert.Equal(BasicOf("me", Password), r.Authorization));
        Assert.Equal("?service=reg.test&scope=repository%3Ateam%2Fapp%3Apull", tokenRequests[0].Uri.Query);
        Assert.Contains("scope=repository%3Aother%2Frepo%3Apull", tokenRequests[1].Uri.Query, StringComparison.Ordinal);
        Assert.Equal(["reg.test"], handler.CredentialLookups);
        Assert.Equal("Bearer T1", handler.Requests.Last(r => r.Uri.AbsolutePath == "/v2/team/app/manifests/2").Authorization);
    }

    [Fact]
    public async Task An_identity_token_is_sent_as_an_OAuth2_refresh_token()
    {
        string? form = null;
        using var handler = TokenRegistry((request, body) =>
        {
            form = Encoding.UTF8.GetString(body!);
            return request.Method == HttpMethod.Post ? Answer(HttpStatusCode.OK, """{"access_token":"T9"}""") : Answer(HttpStatusCode.MethodNotAllowed);
        });
        using RegistryClient client = handler.Client("reg.test", new RegistryCredential("reg.test", "config.json auths", IdentityToken: "refresh-me"));

        await client.GetManifestAsync("team/app", "1", default);

        Assert.Equal("grant_type=refresh_token&refresh_token=refresh-me&client_id=pycontainer&scope=repository%3Ateam%2Fapp%3Apull&service=reg.test", form);
    }

    [Fact]
    public async Task A_refused_token_request_is_PYC4008_naming_the_source_never_the_password()
    {
        using var handler = TokenRegistry((_, _) => Answer(HttpStatusCode.Unauthorized, """{"details":"incorrect username or password"}"""));
        using RegistryClient client = handler.Client("reg.test", UserAndPassword);

        var e = await Assert.ThrowsAsync<PyContainerException>(() => client.GetManifestAsync("team/app", "1", default));

        Assert.Equal(Errors.RegistryDenied, e.Code);
        Assert.Contains("'reg.test'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'team/app'", e.Message, StringComparison.Ordinal);
        Assert.Contains("DOTNET_CONTAINER_REGISTRY_UNAME/_PWORD", e.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(BasicOf("me", Password)[6..], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_registry_gets_the_credentials_after_its_challenge_and_a_second_401_is_PYC4008()
    {
        using var handler = new ScriptedRegistry((request, _) => request.Headers.Authorization?.ToString() == BasicOf("me", Password)
            ? Answer(HttpStatusCode.OK, Manifest, MediaTypes.OciManifest)
            : Challenge("Basic realm=\"Registry Realm\""));
        using RegistryClient good = handler.Client("reg.test", UserAndPassword);
        using RegistryClient bad = handler.Client("reg.test", UserAndPassword with { Password = "wrong" });

        await good.GetManifestAsync("team/app", "1", default);
        var e = await Assert.ThrowsAsync<PyContainerException>(() => bad.GetManifestAsync("team/app", "1", default));

        Assert.Equal(Errors.RegistryDenied, e.Code);
        Assert.Contains("UNAUTHORIZED: authentication required", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_never_challenges_never_has_its_credentials_looked_up()
    {
        using var handler = new ScriptedRegistry((_, _) => Answer(HttpStatusCode.OK, Manifest, "application/json"));
        using RegistryClient client = handler.Client("reg.test", UserAndPassword);

        ManifestResponse manifest = await client.GetManifestAsync("team/app", "1", default);

        Assert.Empty(handler.CredentialLookups);
        Assert.All(handler.Requests, r => Assert.Null(r.Authorization));
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType); // from the body: the Content-Type was generic
    }

    [Fact]
    public async Task A_403_is_PYC4008_naming_anonymous_access()
    {
        using var handler = new ScriptedRegistry((request, _) => request.RequestUri!.AbsolutePath == "/v2/"
            ? Answer(HttpStatusCode.OK)
            : Answer(HttpStatusCode.Forbidden, """{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"""));
        using RegistryClient client = handler.Client("reg.test");

        var e = await Assert.ThrowsAsync<PyContainerException>(() => client.PutManifestAsync("team/app", "1", MediaTypes.OciManifest, Encoding.UTF8.GetBytes(Manifest), default));

        Assert.Equal(Errors.RegistryDenied, e.Code);
        Assert.Contains("none (anonymous)", e.Message, StringComparison.Ordinal);
        Assert.Contains("DENIED: requested access to the resource is denied", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parallel_requests_of_one_scope_share_one_token_and_one_credential_lookup()
    {
        using var handler = TokenRegistry();
        using RegistryClient client = handler.Client("reg.test", UserAndPassword);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.GetManifestAsync("team/app", 1 + (i % 2) + "", default)));

        Assert.Single(handler.Requests, r => r.Uri.Host == "auth.test");
        Assert.Equal(["reg.test"], handler.CredentialLookups);
    }
}
