using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("Flaskr Blog", "flaskr-blog")]
    [InlineData("My.Service", "my.service")]
    [InlineData("flask-hello", "flask-hello")]
    [InlineData("My_App", "my_app")]
    [InlineData("my__app", "my__app")]
    [InlineData("my---app", "my---app")]
    [InlineData("my...app", "my-app")]
    [InlineData("my._app", "my-app")]
    [InlineData("___app___", "app")]
    [InlineData("App (copy)", "app-copy")]
    [InlineData("2048 Game", "2048-game")]
    [InlineData("Café", "caf")]
    [InlineData("Straße Service", "stra-e-service")]
    [InlineData("ÄPP", "pp")]
    public void Project_names_become_valid_repository_names(string projectName, string repository)
    {
        string? derived = RepositoryName.FromProjectName(projectName);

        Assert.Equal(repository, derived);
        Assert.Equal(repository, ImageReference.FromParts(null, derived!, null, "ContainerRepository").Repository);
    }

    [Theory]
    [InlineData("")]
    [InlineData("___")]
    [InlineData("日本")]
    public void A_name_without_an_ascii_letter_or_digit_gives_none(string projectName)
    {
        Assert.Null(RepositoryName.FromProjectName(projectName));
    }

    [Fact]
    public void A_long_name_is_cut_to_255_characters_without_a_trailing_separator()
    {
        string derived = RepositoryName.FromProjectName(new string('a', 254) + " b")!;

        Assert.Equal(new string('a', 254), derived);
    }

    [Fact]
    public void A_set_repository_is_kept_and_an_unset_one_is_derived()
    {
        Assert.Equal("team/app", RepositoryName.Resolve("localhost:5000", "team/app", "My App", requireRegistry: true, out bool kept));
        Assert.False(kept);
        Assert.Equal("my-app", RepositoryName.Resolve(null, "", "My App", requireRegistry: false, out bool derived));
        Assert.True(derived);
    }

    [Fact]
    public void Resolve_checks_the_registry_the_repository_and_that_publishing_has_a_registry()
    {
        Coded.Throws(Errors.NoRegistry, () => RepositoryName.Resolve("", "app", "app", requireRegistry: true, out _));
        Coded.Throws(Errors.NoRepositoryFromProjectName, () => RepositoryName.Resolve(null, null, "___", requireRegistry: false, out _));
        Assert.NotEqual(Errors.NoRegistry, Assert.Throws<PyContainerException>(() => RepositoryName.Resolve("bad registry", "app", "app", requireRegistry: true, out _)).Code);
        Assert.NotEqual(Errors.NoRegistry, Assert.Throws<PyContainerException>(() => RepositoryName.Resolve(null, "Bad Repo", "app", requireRegistry: true, out _)).Code);
    }
}
