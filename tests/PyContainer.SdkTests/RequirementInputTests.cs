namespace PyContainer.SdkTests;

/// <summary>
/// Requirement lines pip would reject or read differently, through the real targets: each is PYC1013 from
/// ContainerDockerfile, naming the file and line or the item, before anything is generated or any engine is asked.
/// </summary>
public sealed class RequirementInputTests
{
    private const string WsgiApp = "<PythonWsgiApp>app:app</PythonWsgiApp>";

    [Theory]
    [InlineData("flask; rm -rf /", "'rm' is not an environment marker variable")]
    [InlineData("gunicorn`touch x`", "unexpected '`touch x`'")]
    public void Hostile_requirement_line_in_a_file_is_PYC1013_naming_the_file_and_line(string line, string reason)
    {
        using var project = new TestProject(WsgiApp, "", Files("requirements.txt", "flask>=2.2\n" + line + "\n"));

        var error = SingleError(project, "ContainerDockerfile");

        Assert.Equal("PYC1013", error.Code);
        Assert.Contains($"'{line}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(project.Directory, "requirements.txt") + " line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_requirement_split_by_MSBuild_at_a_semicolon_is_PYC1013_showing_the_escape()
    {
        using var project = new TestProject(WsgiApp, "<PythonRequirement Include=\"gunicorn; rm -rf /\" />");

        var error = SingleError(project, "ContainerDockerfile");

        Assert.Equal("PYC1013", error.Code);
        Assert.Contains("'gunicorn; rm -rf /'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'gunicorn', 'rm -rf /'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Include=\"gunicorn%3B rm -rf /\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("but 'rm -rf /' is no environment marker either: 'rm' is not an environment marker variable", error.Message, StringComparison.Ordinal);
        Assert.Contains(project.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_requirement_whose_marker_MSBuild_split_off_is_PYC1013_showing_the_escape()
    {
        using var project = new TestProject(WsgiApp, "<PythonRequirement Include=\"flask; python_version >= '3.8'\" />");

        var error = SingleError(project, "ContainerDockerfile");

        Assert.Equal("PYC1013", error.Code);
        Assert.Contains("Include=\"flask%3B python_version >= '3.8'\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no environment marker either", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_requirement_split_from_a_property_is_PYC1013_showing_the_escape()
    {
        // The Include is computed, so the project file cannot tell: the part after ';' is judged on its own.
        using var project = new TestProject(WsgiApp + "<Reqs>gunicorn; rm -rf /</Reqs>", "<PythonRequirement Include=\"$(Reqs)\" />");

        var error = SingleError(project, "ContainerDockerfile");

        Assert.Equal("PYC1013", error.Code);
        Assert.Contains("gunicorn%3B rm -rf /", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_marker_and_several_requirements_in_one_Include_stay_valid()
    {
        using var project = new TestProject(WsgiApp, "<PythonRequirement Include=\"flask%3B python_version >= '3.8'\" /><PythonRequirement Include=\"gunicorn;waitress>=2\" />");

        var (success, errors, _) = project.Build("ContainerDockerfile");

        Assert.True(success, string.Join("\n", errors.Select(e => e.Message)));
        string requirements = string.Join("\n", Directory.GetFiles(Path.Combine(project.Directory, "obj", "container"), "*.txt", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("flask; python_version >= '3.8'", requirements, StringComparison.Ordinal);
        Assert.Contains("waitress>=2", requirements, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "flask; rm -rf /")]
    [InlineData("", "gunicorn`touch x`")]
    [InlineData("<PythonRequirement Include=\"gunicorn; rm -rf /\" />", "")]
    public void Hostile_requirement_fails_ContainerPublish_before_the_engine_is_contacted(string items, string fileLine)
    {
        // An engine endpoint nobody listens on: reaching it would fail with PYC3001 instead.
        using var project = new TestProject(
            WsgiApp + "<ContainerRegistry>localhost:5000</ContainerRegistry><ContainerEngineEndpoint>unix:///tmp/pycontainer-no-engine.sock</ContainerEngineEndpoint>",
            items,
            Files("requirements.txt", "flask>=2.2\n" + fileLine + "\n"));

        var error = SingleError(project, "ContainerPublish");

        Assert.Equal("PYC1013", error.Code);
        Assert.Contains("is not a valid requirement line", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Files(string name, string content) =>
        new() { ["app.py"] = "app = object()\n", [name] = content };

    private static Microsoft.Build.Framework.BuildErrorEventArgs SingleError(TestProject project, string target)
    {
        var (success, errors, _) = project.Build(target);
        Assert.False(success);
        var error = Assert.Single(errors);
        Assert.False(Directory.Exists(Path.Combine(project.Directory, "obj", "container")), "nothing may be generated from bad input");
        return error;
    }
}
