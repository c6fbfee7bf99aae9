using Microsoft.Build.Evaluation;

namespace PyContainer.SdkTests;

/// <summary>What a project gets without setting anything, and that every default can be overridden.</summary>
public sealed class SdkDefaultsTests
{
    [Fact]
    public void Image_name_defaults_follow_the_project_and_the_dotnet_sdk()
    {
        using var project = new TestProject();
        Project evaluated = project.Evaluate();

        Assert.Equal("my.service", evaluated.GetPropertyValue("ContainerRepository"));
        Assert.Equal("latest", evaluated.GetPropertyValue("ContainerImageTags"));
        Assert.Equal("true", evaluated.GetPropertyValue("ContainerBuildKit"));
        Assert.Equal("My.Service", LabelValue(evaluated, "org.opencontainers.image.title"));
    }

    [Fact]
    public void Image_name_properties_override_the_defaults()
    {
        using var project = new TestProject("""
            <ContainerRepository>team/svc</ContainerRepository>
            <ContainerImageTag>1.2.3</ContainerImageTag>
            <ContainerDescription>A service</ContainerDescription>
            <ContainerGenerateLabels>true</ContainerGenerateLabels>
            """);
        Project evaluated = project.Evaluate();

        Assert.Equal("team/svc", evaluated.GetPropertyValue("ContainerRepository"));
        Assert.Equal("1.2.3", evaluated.GetPropertyValue("ContainerImageTags"));
        Assert.Equal("A service", LabelValue(evaluated, "org.opencontainers.image.description"));
    }

    [Fact]
    public void Labels_are_off_when_ContainerGenerateLabels_is_false()
    {
        using var project = new TestProject("<ContainerGenerateLabels>false</ContainerGenerateLabels><ContainerDescription>x</ContainerDescription>");

        Assert.Empty(project.Evaluate().GetItems("ContainerLabel"));
    }

    [Fact]
    public void Python_sources_are_found_by_convention_without_environments_caches_or_build_output()
    {
        var files = new Dictionary<string, string>
        {
            ["app.py"] = "",
            ["pkg/module.py"] = "",
            ["requirements.txt"] = "flask\n",
            ["pyproject.toml"] = "[project]\nname='x'\n",
            [".venv/lib/site.py"] = "",
            ["venv/lib/site.py"] = "",
            ["pkg/__pycache__/module.cpython-311.py"] = "",
            ["bin/tool.py"] = "",
            ["obj/generated.py"] = "",
            ["node_modules/x/y.py"] = "",
            [".git/hooks/hook.py"] = "",
        };
        using var project = new TestProject(files: files);
        Project evaluated = project.Evaluate();

        Assert.Equal(["app.py", "pkg/module.py"], Items(evaluated, "PythonSource"));
        Assert.Equal(["requirements.txt"], Items(evaluated, "PythonRequirementsFile"));
        Assert.Equal(["pyproject.toml"], Items(evaluated, "PythonContent"));
    }

    [Fact]
    public void Default_items_can_be_turned_off()
    {
        using var project = new TestProject("<EnableDefaultPythonItems>false</EnableDefaultPythonItems>", files: new Dictionary<string, string> { ["app.py"] = "", ["requirements.txt"] = "" });
        Project evaluated = project.Evaluate();

        Assert.Empty(evaluated.GetItems("PythonSource"));
        Assert.Empty(evaluated.GetItems("PythonRequirementsFile"));
    }

    [Fact]
    public void ContainerDockerfile_writes_the_generated_files_and_lists_them_for_clean()
    {
        using var project = new TestProject("<PythonWsgiApp>app:app</PythonWsgiApp>");

        var (success, errors, instance) = project.Build("ContainerDockerfile");

        Assert.True(success, string.Join("\n", errors.Select(e => e.Code + ": " + e.Message)));
        string dockerfile = instance.GetPropertyValue("ContainerDockerfilePath");
        Assert.True(File.Exists(dockerfile));
        var writes = instance.GetItems("FileWrites").Select(i => Path.GetFileName(i.EvaluatedInclude)).ToList();
        Assert.Contains("Dockerfile", writes);
        Assert.Contains(".dockerignore", writes);
    }

    [Fact]
    public void A_startup_steps_Command_splits_at_semicolons_and_keeps_escaped_ones_and_quotes()
    {
        using var project = new TestProject(
            "<PythonWsgiApp>app:app</PythonWsgiApp><Greeting>hello%3B world</Greeting>",
            "<ContainerStartupStep Include=\"greet\" Command=\"python3;-c;print('a%3Bb')%3Bprint(&quot;it's&quot;)\" />"
            + "<ContainerStartupStep Include=\"from-property\" Command=\"echo;$(Greeting)\" />"
            + "<ContainerWritableDirectory Include=\"instance\" Volume=\"true\" />");

        var (success, errors, instance) = project.Build("ContainerDockerfile");

        Assert.True(success, string.Join("\n", errors.Select(e => e.Code + ": " + e.Message)));
        string directory = Path.GetDirectoryName(instance.GetPropertyValue("ContainerDockerfilePath"))!;
        string script = File.ReadAllText(Path.Combine(directory, "pycontainer", "entrypoint.sh"));
        Assert.Contains("pycontainer_step 'greet' 'python3' '-c' 'print('\\''a;b'\\'');print(\"it'\\''s\")'\n", script, StringComparison.Ordinal);
        Assert.Contains("pycontainer_step 'from-property' 'echo' 'hello; world'\n", script, StringComparison.Ordinal);
        Assert.Contains("VOLUME [\"/app/instance\"]", File.ReadAllText(Path.Combine(directory, "Dockerfile")), StringComparison.Ordinal);
    }

    private static string LabelValue(Project project, string name) =>
        project.GetItems("ContainerLabel").Single(i => i.EvaluatedInclude == name).GetMetadataValue("Value");

    private static List<string> Items(Project project, string itemType) =>
        project.GetItems(itemType).Select(i => i.EvaluatedInclude.Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
}
