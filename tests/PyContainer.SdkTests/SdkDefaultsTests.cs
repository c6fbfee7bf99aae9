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
        var (success, _, instance) = project.Build("_ContainerResolveRepository");

        // The repository is derived when the targets run, so the name can be checked and the derivation logged.
        Assert.True(success);
        Assert.Equal("my.service", instance.GetPropertyValue("ContainerRepository"));
        Assert.Equal("latest", evaluated.GetPropertyValue("ContainerImageTags"));
        Assert.Equal("true", evaluated.GetPropertyValue("ContainerBuildKit"));
        Assert.Equal("My.Service", LabelValue(evaluated, "org.opencontainers.image.title"));
    }

    /// <summary>The constant defaults, each set once, in the labelled group of the targets; the tasks have none.</summary>
    public static TheoryData<string, string> ConstantDefaults => new()
    {
        { "ContainerImageTags", "latest" },
        { "ContainerUser", "10001" },
        { "ContainerWorkingDirectory", "/app" },
        { "ContainerBuildKit", "true" },
        { "ContainerGenerateLabels", "true" },
        { "PythonInstallStrategy", "wheels" },
        { "PythonWsgiServer", "gunicorn" },
        { "PythonDjangoCollectStatic", "false" },
        { "PythonEntryPointCheck", "true" },
        { "EnableDefaultPythonContentItems", "true" },
        { "ContainerBuildMode", "Dockerfile" },
    };

    [Theory]
    [MemberData(nameof(ConstantDefaults))]
    public void A_constant_default_is_set_once_in_the_defaults_group_of_the_targets(string property, string value)
    {
        using var project = new TestProject();
        Project evaluated = project.Evaluate();

        Assert.Equal(value, evaluated.GetPropertyValue(property));
        var definitions = DocsDriftTests.SdkFileElements()
            .Where(e => e.Name.LocalName == property && e.Parent?.Name.LocalName == "PropertyGroup")
            .Select(e => (string?)e.Parent!.Attribute("Label"))
            .ToList();
        Assert.NotEmpty(definitions);
        Assert.All(definitions, label => Assert.Equal("PyContainer defaults", label));
    }

    [Fact]
    public void Every_default_set_by_the_targets_can_be_overridden_by_the_project()
    {
        using var project = new TestProject("""
            <ContainerUser>app</ContainerUser>
            <ContainerWorkingDirectory>/srv</ContainerWorkingDirectory>
            <ContainerBuildKit>false</ContainerBuildKit>
            <PythonInstallStrategy>venv</PythonInstallStrategy>
            <PythonWsgiServer>waitress</PythonWsgiServer>
            <PythonEntryPointCheck>false</PythonEntryPointCheck>
            """);
        Project evaluated = project.Evaluate();

        Assert.Equal("app", evaluated.GetPropertyValue("ContainerUser"));
        Assert.Equal("/srv", evaluated.GetPropertyValue("ContainerWorkingDirectory"));
        Assert.Equal("false", evaluated.GetPropertyValue("ContainerBuildKit"));
        Assert.Equal("venv", evaluated.GetPropertyValue("PythonInstallStrategy"));
        Assert.Equal("waitress", evaluated.GetPropertyValue("PythonWsgiServer"));
        Assert.Equal("false", evaluated.GetPropertyValue("PythonEntryPointCheck"));
    }

    [Fact]
    public void PythonLockFile_defaults_to_pylock_toml_only_when_the_project_has_one()
    {
        using var withLock = new TestProject(files: new Dictionary<string, string> { ["app.py"] = "app = object()\n", ["pylock.toml"] = "lock-version = \"1.0\"\n" });
        using var withoutLock = new TestProject();
        using var named = new TestProject("<PythonLockFile>requirements.lock.txt</PythonLockFile>", files: new Dictionary<string, string> { ["pylock.toml"] = "" });

        Assert.Equal("pylock.toml", withLock.Evaluate().GetPropertyValue("PythonLockFile"));
        Assert.Equal("", withoutLock.Evaluate().GetPropertyValue("PythonLockFile"));
        Assert.Equal("requirements.lock.txt", named.Evaluate().GetPropertyValue("PythonLockFile"));
    }

    [Fact]
    public void A_daemonless_ContainerDockerfile_writes_the_image_plan_and_puts_the_lock_in_the_context()
    {
        var files = new Dictionary<string, string>
        {
            ["app.py"] = "from flask import Flask\napp = Flask(__name__)\n",
            ["requirements.txt"] = "flask\ngunicorn\n",
            ["pylock.toml"] = "lock-version = \"1.0\"\n",
        };
        using var project = new TestProject("<PythonWsgiApp>app:app</PythonWsgiApp><ContainerBuildMode>daemonless</ContainerBuildMode>", files: files);

        var (success, errors, _) = project.Build("ContainerDockerfile");

        Assert.True(success, string.Join("\n", errors.Select(e => e.Code + ": " + e.Message)));
        string container = Path.Combine(project.Directory, "obj", "container");
        Assert.Contains("\"lockFile\": \"pycontainer/lock/pylock.toml\"", File.ReadAllText(Path.Combine(container, "pycontainer", "image-plan.json")), StringComparison.Ordinal);
        Assert.Contains(File.ReadAllLines(Path.Combine(container, "context.tsv")), l => l.StartsWith("in\tpycontainer/lock/pylock.toml\t" + Path.Combine(project.Directory, "pylock.toml"), StringComparison.Ordinal));
    }

    [Fact]
    public void PublishContainer_is_the_dotnet_sdks_name_for_ContainerPublish()
    {
        using var project = new TestProject();
        var target = project.Evaluate().Targets["PublishContainer"];

        Assert.Equal("ContainerPublish", target.DependsOnTargets);
        Assert.Equal("@(GeneratedContainer)", target.Returns);
        Assert.Empty(target.Tasks);
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
    public void Every_file_under_the_project_is_content_without_environments_caches_tests_secrets_or_build_output()
    {
        var files = new Dictionary<string, string>
        {
            ["app.py"] = "from flask import Flask\napp = Flask(__name__)\n",
            ["pkg/module.py"] = "",
            ["templates/index.html"] = "<h1>hi</h1>",
            ["static/style.css"] = "body {}",
            ["schema.sql"] = "create table t (x int);",
            ["requirements.txt"] = "flask\ngunicorn\n",
            ["pyproject.toml"] = "[project]\nname='x'\n",
            [".venv/lib/site.py"] = "",
            ["venv/lib/site.py"] = "",
            ["pkg/__pycache__/module.cpython-311.pyc"] = "",
            ["bin/tool.py"] = "",
            ["obj/generated.py"] = "",
            ["node_modules/x/y.js"] = "",
            [".git/hooks/hook.py"] = "",
            ["tests/test_app.py"] = "",
            ["tests/fixtures/seed.json"] = "{}",
            [".env"] = "SECRET=1",
            ["notes.md"] = "",
            [".dockerignore"] = "*.md\n",
        };
        using var project = new TestProject("<PythonWsgiApp>app:app</PythonWsgiApp>", "<PythonContent Include=\"tests/fixtures/seed.json\" />", files);

        var (success, errors, instance) = project.Build("ContainerDockerfile");

        Assert.True(success, string.Join("\n", errors.Select(e => e.Code + ": " + e.Message)));
        Assert.Equal(
            ["app.py", "pkg/module.py", "pyproject.toml", "requirements.txt", "schema.sql", "static/style.css", "templates/index.html", "tests/fixtures/seed.json"],
            ContextList(instance).Where(l => l[0] == "in" && l[1].StartsWith("app/", StringComparison.Ordinal)).Select(l => l[1]["app/".Length..]));
        Assert.Contains(ContextList(instance), l => l[0] == "out" && l[1] == "app/notes.md" && l[3] == ".dockerignore line 1 '*.md'");
        Assert.Contains(ContextList(instance), l => l[0] == "out" && l[1] == "app/.env" && l[3].Contains("secret", StringComparison.Ordinal));
        Assert.Equal(["requirements.txt"], Items(instance.GetItems("PythonRequirementsFile")));
    }

    [Theory]
    [InlineData("<EnableDefaultPythonItems>false</EnableDefaultPythonItems>")]
    [InlineData("<EnableDefaultPythonSourceItems>false</EnableDefaultPythonSourceItems>")]
    [InlineData("<EnableDefaultPythonContentItems>false</EnableDefaultPythonContentItems>")]
    public void Default_content_can_be_turned_off(string property)
    {
        var files = new Dictionary<string, string> { ["app.py"] = "app = object()\n", ["other.py"] = "", ["data.json"] = "{}" };
        using var project = new TestProject("<PythonWsgiApp>app:app</PythonWsgiApp>" + property, "<PythonSource Include=\"app.py\" />", files);

        var (success, errors, instance) = project.Build("ContainerDockerfile");

        Assert.True(success, string.Join("\n", errors.Select(e => e.Code + ": " + e.Message)));
        Assert.Equal(["app/app.py"], ContextList(instance).Where(l => l[1].StartsWith("app/", StringComparison.Ordinal)).Select(l => l[1]));
    }

    [Theory]
    [InlineData("<ContainerArchiveOutputPath>images/</ContainerArchiveOutputPath>", "app/images/")]
    [InlineData("<ContainerArchiveOutputPath>image.tar</ContainerArchiveOutputPath>", "app/image.tar")]
    [InlineData("<BaseOutputPath>out/</BaseOutputPath>", "app/out/")]
    [InlineData("<BaseIntermediateOutputPath>build/obj/</BaseIntermediateOutputPath>", "app/build/obj/")]
    public void An_image_archive_or_build_output_saved_in_the_project_does_not_go_into_the_image(string property, string excluded)
    {
        var files = new Dictionary<string, string> { ["app.py"] = "app = object()\n", ["images/old.tar"] = "tar", ["image.tar"] = "tar", ["out/x.dll"] = "", ["build/obj/x.json"] = "" };
        using var project = new TestProject("<PythonWsgiApp>app:app</PythonWsgiApp>" + property, files: files);

        var (success, errors, instance) = project.Build("ContainerDockerfile");

        Assert.True(success, string.Join("\n", errors.Select(e => e.Code + ": " + e.Message)));
        Assert.Contains(ContextList(instance), l => l[0] == "out" && l[1] == excluded);
    }

    [Fact]
    public void Default_items_can_be_turned_off()
    {
        using var project = new TestProject("<EnableDefaultPythonItems>false</EnableDefaultPythonItems>", files: new Dictionary<string, string> { ["app.py"] = "", ["requirements.txt"] = "" });
        Project evaluated = project.Evaluate();

        Assert.Empty(evaluated.GetItems("PythonSource"));
        Assert.Empty(evaluated.GetItems("PythonRequirementsFile"));
    }

    /// <summary>The context list's lines (in/out, path in the context, source, why), its header left out.</summary>
    private static List<string[]> ContextList(Microsoft.Build.Execution.ProjectInstance instance) =>
        File.ReadAllLines(Path.Combine(Path.GetDirectoryName(instance.GetPropertyValue("ContainerDockerfilePath"))!, "context.tsv"))
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .ToList();

    private static List<string> Items(IEnumerable<Microsoft.Build.Execution.ProjectItemInstance> items) =>
        items.Select(i => i.EvaluatedInclude.Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

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
