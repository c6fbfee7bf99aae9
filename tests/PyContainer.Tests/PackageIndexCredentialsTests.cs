using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Python;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class PackageIndexCredentialsTests
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _arguments = new(StringComparer.Ordinal);
    private readonly List<string> _log = [];

    private IReadOnlyList<string> Apply() =>
        PackageIndexCredentials.Apply(_arguments, name => _environment.GetValueOrDefault(name), new ListLog(_log));

    [Fact]
    public void User_and_password_variables_go_into_the_index_url_of_the_build_arguments_only()
    {
        _arguments["PIP_INDEX_URL"] = "https://pypi.example.com/simple/";
        _environment["PYCONTAINER_PIP_INDEX_USERNAME"] = "ci";
        _environment["PYCONTAINER_PIP_INDEX_PASSWORD"] = "p@ss:w/rd";

        IReadOnlyList<string> secrets = Apply();

        Assert.Equal("https://ci:p%40ss%3Aw%2Frd@pypi.example.com/simple/", _arguments["PIP_INDEX_URL"]);
        Assert.Contains("p@ss:w/rd", secrets);
        Assert.Contains("p%40ss%3Aw%2Frd", secrets);
        Assert.DoesNotContain(_log, line => line.Contains("p@ss", StringComparison.Ordinal) || line.Contains("p%40ss", StringComparison.Ordinal));
    }

    [Fact]
    public void PIP_variables_from_the_environment_are_used_when_no_property_is_set_and_logged_masked()
    {
        _environment["PIP_INDEX_URL"] = "https://user:s3cret@pypi.example.com/simple/";
        _environment["PIP_EXTRA_INDEX_URL"] = "https://a:b@one.example.com/simple/ https://two.example.com/simple/";

        IReadOnlyList<string> secrets = Apply();

        Assert.Equal("https://user:s3cret@pypi.example.com/simple/", _arguments["PIP_INDEX_URL"]);
        Assert.Equal("https://a:b@one.example.com/simple/ https://two.example.com/simple/", _arguments["PIP_EXTRA_INDEX_URL"]);
        Assert.Contains("s3cret", secrets);
        Assert.Contains("user:s3cret", secrets);
        Assert.All(_log, line => Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal));
        Assert.Contains(_log, line => line.Contains("https://***@pypi.example.com/simple/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_property_wins_over_the_environment()
    {
        _arguments["PIP_INDEX_URL"] = "https://property.example.com/simple/";
        _environment["PIP_INDEX_URL"] = "https://env.example.com/simple/";

        Assert.Empty(Apply());
        Assert.Equal("https://property.example.com/simple/", _arguments["PIP_INDEX_URL"]);
    }

    [Fact]
    public void A_password_without_an_index_is_a_coded_error()
    {
        _environment["PYCONTAINER_PIP_INDEX_PASSWORD"] = "secret";

        PyContainerException error = Coded.Throws(Errors.IndexPasswordWithoutIndex, () => Apply());

        Assert.Contains("PythonPackageIndexUrl", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_url_from_the_environment_is_reported_masked()
    {
        _environment["PIP_INDEX_URL"] = "ftp://user:s3cret@pypi.example.com/";

        PyContainerException error = Coded.Throws(Errors.InvalidIndexUrl, () => Apply());

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.Contains("ftp://***@pypi.example.com/", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Looking in indexes: https://u:pw@host/simple/", "Looking in indexes: https://***@host/simple/")]
    [InlineData("https://host/simple/", "https://host/simple/")]
    [InlineData("no url here", "no url here")]
    public void Mask_hides_the_userinfo_of_urls(string text, string masked)
    {
        Assert.Equal(masked, PackageIndexCredentials.Mask(text));
    }

    [Fact]
    public void Redact_replaces_every_secret()
    {
        Assert.Equal("a *** b ***", PackageIndexCredentials.Redact("a pw b user:pw", ["pw", "user:pw"]));
    }

    private sealed class ListLog(List<string> lines) : IBuildLog
    {
        public void Info(string message) => lines.Add(message);

        public void Detail(string message) => lines.Add(message);

        public void Warning(string code, string message) => lines.Add(code + " " + message);
    }
}
