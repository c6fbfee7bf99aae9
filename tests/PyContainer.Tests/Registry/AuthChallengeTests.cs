using PyContainer.Registry;

namespace PyContainer.Tests.Registry;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Docker_Hub_bearer_challenge()
    {
        AuthChallenge challenge = Assert.Single(AuthChallenge.Parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/python:pull\""));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/python:pull", challenge.Scope);
    }

    [Fact]
    public void Basic_challenge_of_an_htpasswd_registry()
    {
        AuthChallenge challenge = Assert.Single(AuthChallenge.Parse("Basic realm=\"Registry Realm\""));

        Assert.True(challenge.IsBasic);
        Assert.Equal("Registry Realm", challenge.Realm);
    }

    [Fact]
    public void Several_challenges_in_one_header_and_spaces_around_separators()
    {
        IReadOnlyList<AuthChallenge> challenges = AuthChallenge.Parse(
            "Basic realm=\"a\" , Bearer realm = \"https://t.example/token\" , service=reg , scope=\"repository:a:pull repository:b:pull,push\"");

        Assert.Equal(["Basic", "Bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("https://t.example/token", challenges[1].Realm);
        Assert.Equal("reg", challenges[1].Service);
        Assert.Equal("repository:a:pull repository:b:pull,push", challenges[1].Scope);
    }

    [Fact]
    public void Several_headers_give_their_challenges_in_order()
    {
        IReadOnlyList<AuthChallenge> challenges = AuthChallenge.Parse(["Negotiate", "bearer REALM=\"https://x/t\""]);

        Assert.Equal(["Negotiate", "bearer"], challenges.Select(c => c.Scheme));
        Assert.True(challenges[1].IsBearer);
        Assert.Equal("https://x/t", challenges[1].Realm); // parameter names are case-insensitive
    }

    [Fact]
    public void Quoted_values_keep_commas_and_unescape_backslashes()
    {
        AuthChallenge challenge = Assert.Single(AuthChallenge.Parse("Bearer realm=\"https://x/t?a=1,b=2\",error=\"say \\\"no\\\"\""));

        Assert.Equal("https://x/t?a=1,b=2", challenge.Realm);
        Assert.Equal("say \"no\"", challenge.Parameters["error"]);
    }

    [Fact]
    public void Token68_credentials_are_not_parameters()
    {
        IReadOnlyList<AuthChallenge> challenges = AuthChallenge.Parse("Negotiate abc==, Basic realm=r");

        Assert.Equal(["Negotiate", "Basic"], challenges.Select(c => c.Scheme));
        Assert.Empty(challenges[0].Parameters);
        Assert.Equal("r", challenges[1].Realm);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(",,")]
    public void Empty_headers_have_no_challenge(string header)
    {
        Assert.Empty(AuthChallenge.Parse(header));
    }

    [Fact]
    public void An_unterminated_quote_ends_the_value_at_the_end_of_the_header()
    {
        AuthChallenge challenge = Assert.Single(AuthChallenge.Parse("Bearer realm=\"https://x/t"));

        Assert.Equal("https://x/t", challenge.Realm);
    }
}
