namespace PyContainer.SdkTests;

/// <summary>
/// The repository derived from the project name, and ContainerRegistry checked on its own, through the real
/// targets: errors name the property the user set (or must set), before anything is generated.
/// </summary>
public sealed class ImageNameInputTests
{
    private const string WsgiApp = "<PythonWsgiApp>app:app</PythonWsgiApp>";

    /// <summary>An engine endpoint nobody listens on: reaching it would fail with PYC3001 instead.</summary>
    private const string NoEngine = "<ContainerEngineEndpoint>unix:///tmp/pycontainer-no-engine.sock</ContainerEngineEndpoint>";

    [Theory]
    [InlineData("Flaskr Blog.msbuildproj", "flaskr-blog")]
    [InlineData("My App (copy).msbuildproj", "my-app-copy")]
    [InlineData("Café.Service.msbuildproj", "caf-service")]
    public void Project_named_with_a_space_and_capitals_gets_a_derived_repository_and_PYC2009(string fileName, string repository)
    {
        using var project = new TestProject(WsgiApp, projectFileName: fileName);

        var (success, errors, instance) = project.Build("ContainerDockerfile");

        Assert.True(success, string.Join("\n", errors.Select(e => e.Message)));
        Assert.Equal(repository, instance.GetPropertyValue("ContainerRepository"));
        Assert.Equal(repository.Split('/')[^1], instance.GetPropertyValue("ContainerComposeServiceName"));
        var message = Assert.Single(project.CodedMessages);
        Assert.Equal("PYC2009", message.Code);
        Assert.Contains($"the image is named '{repository}', derived from the project name '{Path.GetFileNameWithoutExtension(fileName)}'", message.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(project.Warnings, w => w.Code == "PYC2009");
    }

    [Fact]
    public void ContainerPublish_derives_the_repository_once_and_logs_PYC2009_once()
    {
        // ContainerPublish resolves the name first (with the registry required), then ContainerDockerfile: once.
        using var project = new TestProject(WsgiApp + NoEngine + "<ContainerRegistry>localhost:5000</ContainerRegistry>", projectFileName: "Flaskr Blog.msbuildproj");

        var (success, errors, instance) = project.Build("ContainerPublish");

        Assert.False(success);
        Assert.Equal("PYC3001", Assert.Single(errors).Code);
        Assert.Equal("flaskr-blog", instance.GetPropertyValue("ContainerRepository"));
        Assert.Equal("PYC2009", Assert.Single(project.CodedMessages).Code);
    }

    [Fact]
    public void Project_whose_name_is_already_a_repository_name_logs_no_derivation()
    {
        using var project = new TestProject(WsgiApp, projectFileName: "flask-hello.msbuildproj");

        var (success, _, instance) = project.Build("ContainerDockerfile");

        Assert.True(success);
        Assert.Equal("flask-hello", instance.GetPropertyValue("ContainerRepository"));
        Assert.Empty(project.CodedMessages);
    }

    [Fact]
    public void Project_name_without_a_letter_or_digit_is_PYC1036_naming_ContainerRepository()
    {
        using var project = new TestProject(WsgiApp, projectFileName: "___.msbuildproj");

        var (success, errors, _) = project.Build("ContainerDockerfile");

        Assert.False(success);
        var error = Assert.Single(errors);
        Assert.Equal("PYC1036", error.Code);
        Assert.Contains("Set ContainerRepository", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(project.Directory, "obj", "container")));
    }

    [Fact]
    public void Set_ContainerRepository_that_is_not_a_repository_name_is_PYC1001_naming_it()
    {
        using var project = new TestProject(WsgiApp + "<ContainerRepository>Flaskr Blog</ContainerRepository>");

        var (success, errors, _) = project.Build("ContainerDockerfile");

        Assert.False(success);
        var error = Assert.Single(errors);
        Assert.Equal("PYC1001", error.Code);
        Assert.Contains("for ContainerRepository", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000", "localhost:5000")]
    [InlineData("localhost:5000/", "localhost:5000")]
    public void ContainerRegistry_given_as_a_URL_fails_ContainerDockerfile_with_PYC1035_showing_the_right_form(string registry, string rightForm)
    {
        using var project = new TestProject(WsgiApp + $"<ContainerRegistry>{registry}</ContainerRegistry>");

        var (success, errors, _) = project.Build("ContainerDockerfile");

        Assert.False(success);
        var error = Assert.Single(errors);
        Assert.Equal("PYC1035", error.Code);
        Assert.StartsWith($"ContainerRegistry '{registry}' is not valid", error.Message, StringComparison.Ordinal);
        Assert.Contains($"-p:ContainerRegistry={rightForm}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ContainerRepository", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(project.Directory, "obj", "container")));
    }

    [Fact]
    public void ContainerRegistry_with_a_trailing_slash_fails_ContainerPublish_before_the_engine_is_contacted()
    {
        using var project = new TestProject(WsgiApp + NoEngine + "<ContainerRegistry>localhost:5000/</ContainerRegistry>");

        var (success, errors, _) = project.Build("ContainerPublish");

        Assert.False(success);
        Assert.Equal("PYC1035", Assert.Single(errors).Code);
        Assert.Contains("ContainerRegistry 'localhost:5000/' is not valid: it holds a '/'", errors[0].Message, StringComparison.Ordinal);
    }
}
