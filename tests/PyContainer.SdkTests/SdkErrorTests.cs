namespace PyContainer.SdkTests;

/// <summary>Each coded input error, raised by the targets in-process, before any engine is contacted.</summary>
public sealed class SdkErrorTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // code, properties, items, the property or item the message must name
        { "PYC1001", "<PythonWsgiApp>app:app</PythonWsgiApp><ContainerBaseImage>Python:3.12</ContainerBaseImage>", "", "ContainerBaseImage" },
        { "PYC1002", "", "", "PythonWsgiApp" },
        { "PYC1003", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonModule>app</PythonModule>", "", "PythonModule" },
        { "PYC1004", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonSource Include=\"missing.py\" />", "PythonSource" },
        { "PYC1005", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonSource Include=\"/etc/hostname\" />", "PythonSource" },
        { "PYC1006", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonRequirementsFile Include=\"missing.txt\" />", "PythonRequirementsFile" },
        { "PYC1007", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonRequirementsFile Include=\"index.txt\" />", "PythonPackageIndexUrl" },
        { "PYC1008", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerPort Include=\"http\" />", "ContainerPort" },
        { "PYC1009", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerEnvironmentVariable Include=\"1BAD\" Value=\"x\" />", "ContainerEnvironmentVariable" },
        { "PYC1010", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerLabel Include=\"Bad Key\" Value=\"x\" />", "ContainerLabel" },
        { "PYC1011", "<PythonWsgiApp>app:app</PythonWsgiApp><ContainerUser>root user</ContainerUser>", "", "ContainerUser" },
        { "PYC1012", "<PythonWsgiApp>app:app</PythonWsgiApp><ContainerWorkingDirectory>app</ContainerWorkingDirectory>", "", "ContainerWorkingDirectory" },
        { "PYC1013", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonRequirement Include=\"--pre\" />", "PythonRequirement" },
        { "PYC1014", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerBuildPackage Include=\"gcc;rm -rf\" />", "ContainerBuildPackage" },
        { "PYC1015", "<PythonWsgiApp>app</PythonWsgiApp>", "", "PythonWsgiApp" },
        { "PYC1017", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonPackageIndexUrl>ftp://x</PythonPackageIndexUrl>", "", "PythonPackageIndexUrl" },
        { "PYC1018", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonSource Include=\"app.py\" /><PythonContent Include=\"other.py\" Link=\"app.py\" />", "Link" },
        { "PYC1020", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonInstallStrategy>conda</PythonInstallStrategy>", "", "PythonInstallStrategy" },
        { "PYC1021", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonInstallStrategy>pex</PythonInstallStrategy>", "", "PythonProjectDirectory" },
        { "PYC1022", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonProjectDirectory>.</PythonProjectDirectory>", "", "PythonProjectDirectory" },
        { "PYC1027", "<PythonWsgiApp>app:app</PythonWsgiApp><DefaultPythonItemExcludes>docs/[abc</DefaultPythonItemExcludes>", "", "DefaultPythonItemExcludes" },
        { "PYC1024", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonVersion>latest</PythonVersion>", "", "PythonVersion" },
        { "PYC1030", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerWritableDirectory Include=\"../etc\" />", "ContainerWritableDirectory" },
        { "PYC1030", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerWritableDirectory Include=\"instance\" Volume=\"yes\" />", "ContainerWritableDirectory" },
        { "PYC1031", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerStartupStep Include=\"init-db\" />", "ContainerStartupStep" },
        { "PYC1031", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerStartupStep Include=\"init db\" Command=\"flask;init-db\" />", "ContainerStartupStep" },
        { "PYC1032", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerEnvironmentVariable Include=\"PORT\" Value=\"abc\" />", "ContainerPort" },
        { "PYC1032", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerPort Include=\"8000\" /><ContainerEnvironmentVariable Include=\"PORT\" Value=\"9000\" />", "ContainerPort" },
        { "PYC1033", "<PythonWsgiApp>app:create_app()</PythonWsgiApp><PythonWsgiServer>twisted</PythonWsgiServer>", "", "PythonWsgiApp" },
        { "PYC1015", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonEntryPointCheck>maybe</PythonEntryPointCheck>", "", "PythonEntryPointCheck" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_fails_ContainerDockerfile_with_one_coded_error_naming_what_to_fix(string code, string properties, string items, string named)
    {
        var files = new Dictionary<string, string>
        {
            ["app.py"] = "app = object()\n",
            ["other.py"] = "",
            ["index.txt"] = "--index-url https://example.invalid/simple\nflask\n",
        };
        using var project = new TestProject(properties, items, files);

        var (success, errors, _) = project.Build("ContainerDockerfile");

        Assert.False(success);
        var error = Assert.Single(errors);
        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(project.Path, error.File);
        Assert.False(Directory.Exists(Path.Combine(project.Directory, "obj", "container")), "nothing may be generated from bad input");
    }

    [Theory]
    [InlineData("ContainerPublish", "<ContainerRegistry>localhost:5000</ContainerRegistry><ContainerImageTag>bad:tag</ContainerImageTag>", "PYC1016", "bad:tag")]
    [InlineData("ContainerPublish", "", "PYC1019", "ContainerRegistry")]
    [InlineData("PublishContainer", "", "PYC1019", "ContainerRegistry")]
    public void Bad_image_names_fail_ContainerPublish_before_the_engine_is_contacted(string target, string properties, string code, string named)
    {
        // An engine endpoint nobody listens on: reaching it would fail with PYC3001 instead.
        using var project = new TestProject(NoEngine + properties);

        var (success, errors, _) = project.Build(target);

        Assert.False(success);
        var error = Assert.Single(errors);
        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ContainerPublish")]
    [InlineData("PublishContainer")]
    public void Publishing_without_a_registry_fails_before_anything_is_generated_or_built(string target)
    {
        using var project = new TestProject(NoEngine + "<ContainerRepository>team/svc</ContainerRepository>");

        var (success, errors, _) = project.Build(target);

        Assert.False(success);
        Assert.Equal("PYC1019", Assert.Single(errors).Code);
        Assert.Equal(project.Path, errors[0].File);
        Assert.False(Directory.Exists(Path.Combine(project.Directory, "obj", "container")), "nothing may be generated before PYC1019");
        Assert.False(File.Exists(Path.Combine(project.Directory, "obj", "container.state.json")), "nothing may be built before PYC1019");
    }

    [Fact]
    public void An_archive_needs_no_registry_so_ContainerPublish_goes_on_to_the_engine()
    {
        using var project = new TestProject(NoEngine + "<ContainerArchiveOutputPath>images/</ContainerArchiveOutputPath>");

        var (success, errors, _) = project.Build("ContainerPublish");

        Assert.False(success);
        Assert.Equal("PYC3001", Assert.Single(errors).Code);
    }

    private const string NoEngine = "<PythonWsgiApp>app:app</PythonWsgiApp><ContainerEngineEndpoint>unix:///tmp/pycontainer-no-engine.sock</ContainerEngineEndpoint>";
}
