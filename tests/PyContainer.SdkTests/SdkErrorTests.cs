namespace PyContainer.SdkTests;

/// <summary>Each coded input error, raised by the targets in-process, before any engine is contacted.</summary>
public sealed class SdkErrorTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // code, properties, items, an excerpt of the message (it names the property or item to fix)
        { "PYC1001", "<PythonWsgiApp>app:app</PythonWsgiApp><ContainerBaseImage>Python:3.12</ContainerBaseImage>", "", "'Python:3.12' is not a valid image reference for ContainerBaseImage" },
        { "PYC1002", "<PythonWsgiApp></PythonWsgiApp>", "", "The container has no entry point: set one of PythonWsgiApp" },
        { "PYC1003", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonModule>app</PythonModule>", "", "Only one entry point may be set, but 2 are" },
        { "PYC1004", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonSource Include=\"missing.py\" />", "missing.py' does not exist. Fix or remove the item" },
        { "PYC1005", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonSource Include=\"/etc/hostname\" />", "lies outside the project folder. Give it a Link metadata" },
        { "PYC1006", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonRequirementsFile Include=\"missing.txt\" />", "missing.txt' does not exist. Fix the path or remove the item" },
        { "PYC1007", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonRequirementsFile Include=\"index.txt\" />", "the option '--index-url' is not supported in a requirements file built by PyContainer. Set PythonPackageIndexUrl instead" },
        { "PYC1008", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerPort Include=\"http\" />", "The ContainerPort item 'http' is not valid" },
        { "PYC1009", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerEnvironmentVariable Include=\"1BAD\" Value=\"x\" />", "The ContainerEnvironmentVariable item '1BAD' is not valid" },
        { "PYC1010", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerLabel Include=\"Bad Key\" Value=\"x\" />", "The ContainerLabel item 'Bad Key' is not valid" },
        { "PYC1011", "<PythonWsgiApp>app:app</PythonWsgiApp><ContainerUser>root user</ContainerUser>", "", "ContainerUser 'root user' is not valid" },
        { "PYC1012", "<PythonWsgiApp>app:app</PythonWsgiApp><ContainerWorkingDirectory>app</ContainerWorkingDirectory>", "", "ContainerWorkingDirectory 'app' is not valid: use an absolute path" },
        { "PYC1013", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonRequirement Include=\"--pre\" />", "pip options are not requirements" },
        { "PYC1014", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerBuildPackage Include=\"gcc;rm -rf\" />", "is not a valid OS package name" },
        { "PYC1015", "<PythonWsgiApp>app</PythonWsgiApp>", "", "PythonWsgiApp 'app' is not valid: use 'module:callable'" },
        { "PYC1017", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonPackageIndexUrl>ftp://x</PythonPackageIndexUrl>", "", "PythonPackageIndexUrl 'ftp://x' is not a valid URL" },
        { "PYC1018", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonSource Include=\"app.py\" /><PythonContent Include=\"other.py\" Link=\"app.py\" />", "Two inputs would be copied to the same path 'app.py'" },
        { "PYC1020", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonInstallStrategy>conda</PythonInstallStrategy>", "", "PythonInstallStrategy 'conda' is not known: use wheels (the default), venv or pex" },
        { "PYC1021", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonInstallStrategy>pex</PythonInstallStrategy>", "", "The pex install strategy packs a Python project: set PythonProjectDirectory" },
        { "PYC1022", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonProjectDirectory>.</PythonProjectDirectory>", "", "PythonProjectDirectory '.' is not a usable Python project" },
        { "PYC1027", "<PythonWsgiApp>app:app</PythonWsgiApp><DefaultPythonItemExcludes>docs/[abc</DefaultPythonItemExcludes>", "", "DefaultPythonItemExcludes line 1: the pattern 'docs/[abc' is not valid" },
        { "PYC1024", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonVersion>latest</PythonVersion>", "", "'latest' from the PythonVersion property is not a Python version" },
        { "PYC1030", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerWritableDirectory Include=\"../etc\" />", "The ContainerWritableDirectory '../etc' is not valid: '.' and '..' are not allowed" },
        { "PYC1030", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerWritableDirectory Include=\"instance\" Volume=\"yes\" />", "Volume='yes' is neither true nor false" },
        { "PYC1031", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerStartupStep Include=\"init-db\" />", "The ContainerStartupStep 'init-db' is not valid: its Command metadata is empty" },
        { "PYC1031", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerStartupStep Include=\"init db\" Command=\"flask;init-db\" />", "The ContainerStartupStep 'init db' is not valid" },
        { "PYC1032", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerEnvironmentVariable Include=\"PORT\" Value=\"abc\" />", "The ContainerEnvironmentVariable PORT='abc' would stop or misplace the server at start: the server needs a port number" },
        { "PYC1032", "<PythonWsgiApp>app:app</PythonWsgiApp>", "<ContainerPort Include=\"8000\" /><ContainerEnvironmentVariable Include=\"PORT\" Value=\"9000\" />", "the first ContainerPort is 8000, which PyContainer sets as PORT and EXPOSEs" },
        { "PYC1033", "<PythonWsgiApp>app:create_app()</PythonWsgiApp><PythonWsgiServer>twisted</PythonWsgiServer>", "", "PythonWsgiApp=app:create_app() names an application factory, which the twisted server cannot call" },
        { "PYC1015", "<PythonWsgiApp>app:app</PythonWsgiApp><PythonEntryPointCheck>maybe</PythonEntryPointCheck>", "", "PythonEntryPointCheck 'maybe' is not valid: use true or false" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_fails_ContainerDockerfile_with_one_coded_error_naming_what_to_fix(string code, string properties, string items, string excerpt)
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
        Assert.Contains(excerpt, error.Message, StringComparison.Ordinal);
        Assert.Equal(project.Path, error.File);
        Assert.False(Directory.Exists(Path.Combine(project.Directory, "obj", "container")), "nothing may be generated from bad input");
    }

    [Theory]
    [InlineData("ContainerPublish", "<ContainerRegistry>localhost:5000</ContainerRegistry><ContainerImageTag>bad:tag</ContainerImageTag>", "PYC1016", "The image tag 'bad:tag'")]
    public void Bad_image_names_fail_ContainerPublish_before_the_engine_is_contacted(string target, string properties, string code, string excerpt)
    {
        // An engine endpoint nobody listens on: reaching it would fail with PYC3001 instead.
        using var project = new TestProject(NoEngine + properties);

        var (success, errors, _) = project.Build(target);

        Assert.False(success);
        var error = Assert.Single(errors);
        Assert.Equal(code, error.Code);
        Assert.Contains(excerpt, error.Message, StringComparison.Ordinal);
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
        Assert.Contains("ContainerPublish pushes to a registry, but ContainerRegistry is empty", errors[0].Message, StringComparison.Ordinal);
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
