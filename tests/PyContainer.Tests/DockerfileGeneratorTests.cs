using PyContainer.Context;
using PyContainer.Dockerfile;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class DockerfileGeneratorTests : IDisposable
{
    private static readonly string[] RootUsers = ["root", "0"];

    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    private PythonAppSettings ScriptApp() => TargetDefaults.Settings with
    {
        ProjectDirectory = _project.Directory,
        ProjectName = "hello-script",
        Files = [_project.Source("main.py")],
        PythonScript = "main.py",
    };

    private PythonAppSettings ModuleAppWithOsPackages(string? baseImage = null)
    {
        var settings = TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "inventory",
            Files = [_project.Source("inventory/__init__.py", ""), _project.Source("inventory/__main__.py")],
            PythonRequirement = ["psycopg2==2.9.10"],
            PythonModule = "inventory",
            ContainerBaseImage = baseImage,
            ContainerBuildPackage = ["gcc", "libpq-dev"],
            ContainerRuntimePackage = ["libpq5"],
            ContainerPort = [new NamedValue("9000", "")],
            ContainerEnvironmentVariable = [new NamedValue("LOG_LEVEL", "info")],
            ContainerLabel = [new NamedValue("org.opencontainers.image.source", "https://example.com/inventory")],
        };
        return settings;
    }

    /// <summary>The Twisted/pex write-up's shape: a src-layout project packed with its dependencies into one pex.</summary>
    private PythonAppSettings FlaskTwistedPexApp() => TargetDefaults.Settings with
    {
        ProjectDirectory = _project.Directory,
        ProjectName = "msbdemo",
        Files =
        [
            _project.Source("setup.py", "import setuptools\nsetuptools.setup(name='msbdemo', packages=['msbdemo'], package_dir={'': 'src'})\n"),
            _project.Source("src/msbdemo/__init__.py", ""),
            _project.Source("src/msbdemo/wsgi.py", TestProject.FlaskApp),
        ],
        PythonRequirement = ["flask", "twisted"],
        PythonProjectDirectory = ".",
        PythonInstallStrategy = "pex",
        PythonWsgiServer = "twisted",
        PythonWsgiApp = "msbdemo.wsgi:app",
    };

    private const string SetuptoolsBuildSystem = "[build-system]\nrequires = [\"setuptools>=61\", \"wheel\"]\nbuild-backend = \"setuptools.build_meta\"\n\n";

    /// <summary>samples/wheels-app's shape: a pyproject.toml project (src layout) whose script imports the package.</summary>
    private PythonAppSettings PyProjectApp(string project = "dependencies = [\"markupsafe>=2\"]", string? strategy = null, string buildSystem = SetuptoolsBuildSystem) => TargetDefaults.Settings with
    {
        ProjectDirectory = _project.Directory,
        ProjectName = "wheels-app",
        Files =
        [
            new InputFile("PythonContent", _project.Write("pyproject.toml", $"{buildSystem}[project]\nname = \"wheelsapp\"\nversion = \"1.0.0\"\n{project}\n")),
            _project.Source("runapp.py", "from wheelsapp.server import main\n\nmain()\n"),
            _project.Source("src/wheelsapp/__init__.py", ""),
            _project.Source("src/wheelsapp/server.py"),
        ],
        PythonProjectDirectory = ".",
        PythonScript = strategy == "pex" ? null : "runapp.py",
        PythonModule = strategy == "pex" ? "wheelsapp.server" : null,
        PythonInstallStrategy = strategy ?? TargetDefaults.Settings.PythonInstallStrategy,
    };

    private PythonAppSettings FastApiApp() => TargetDefaults.Settings with
    {
        ProjectDirectory = _project.Directory,
        ProjectName = "orders",
        Files = [_project.Source("main.py", "from fastapi import FastAPI\n\napi = FastAPI()\n")],
        PythonRequirement = ["fastapi", "uvicorn"],
        ContainerHealthCheckPath = "/healthz",
    };

    /// <summary>Django found from manage.py: migrations and fixtures at start, static files collected at build.</summary>
    private PythonAppSettings DjangoApp() => TargetDefaults.Settings with
    {
        ProjectDirectory = _project.Directory,
        ProjectName = "cities",
        Files =
        [
            _project.Source("manage.py", "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"citiesapi.settings\")\n"),
            _project.Source("citiesapi/settings.py", ""),
            _project.Source("citiesapi/wsgi.py", ""),
            new InputFile("PythonContent", _project.Write("cities/fixtures/cities.json", "[]")),
        ],
        PythonRequirement = ["django>=3.2,<4", "gunicorn", "psycopg2"],
        PythonVersion = "3.11",
        ContainerBuildPackage = ["gcc", "libpq-dev"],
        ContainerRuntimePackage = ["libpq5", "libgdal32"],
        PythonDjangoCollectStatic = true,
        PythonDjangoFixture = ["cities/fixtures/cities.json"],
    };

    private static string Generate(PythonAppSettings settings) => DockerfileGenerator.Generate(PythonAppResolver.Resolve(settings)).Dockerfile;

    private static int IndexOf(List<Instruction> instructions, string keyword, string text) =>
        instructions.FindIndex(i => i.Keyword == keyword && i.Arguments.Contains(text, StringComparison.Ordinal));

    /// <summary>A project's builder with static dependencies: they come first, then the sources, then the project alone (its index).</summary>
    private static int AssertDependenciesThenSourcesThenProject(List<Instruction> instructions, string dependenciesStep, string projectStep)
    {
        int dependencies = IndexOf(instructions, "RUN", dependenciesStep);
        int sources = IndexOf(instructions, "COPY", "[\"app/\", \"/src/app/\"]");
        int project = IndexOf(instructions, "RUN", projectStep);
        Assert.True(dependencies >= 0 && dependencies < sources && sources < project, "dependencies, then the sources, then the project alone");
        return project;
    }

    [Fact]
    public void Flask_gunicorn_matches_its_golden_file() =>
        Golden.AssertMatches("flask-gunicorn.Dockerfile", Generate(_project.FlaskSettings()));

    [Fact]
    public void Script_without_requirements_matches_its_golden_file() =>
        Golden.AssertMatches("script-no-requirements.Dockerfile", Generate(ScriptApp()));

    [Fact]
    public void Module_with_os_packages_matches_its_golden_file() =>
        Golden.AssertMatches("module-os-packages.Dockerfile", Generate(ModuleAppWithOsPackages()));

    [Fact]
    public void Flask_twisted_pex_matches_its_golden_file() =>
        Golden.AssertMatches("flask-twisted-pex.Dockerfile", Generate(FlaskTwistedPexApp()));

    [Fact]
    public void FastApi_uvicorn_matches_its_golden_file() =>
        Golden.AssertMatches("fastapi-uvicorn.Dockerfile", Generate(FastApiApp()));

    [Fact]
    public void Django_matches_its_golden_files()
    {
        PythonApp app = PythonAppResolver.Resolve(DjangoApp());
        Golden.AssertMatches("django.Dockerfile", DockerfileGenerator.Generate(app).Dockerfile);
        Golden.AssertMatches("django-entrypoint.sh", DockerfileGenerator.Generate(app).EntrypointScript!);
    }

    [Fact]
    public void Project_with_static_dependencies_matches_its_golden_file() =>
        Golden.AssertMatches("pyproject-static-dependencies.Dockerfile", Generate(PyProjectApp()));

    [Fact]
    public void Static_project_dependencies_are_built_before_the_sources_and_installed_in_a_runner_step_of_their_own()
    {
        List<Instruction> instructions = DockerfileText.Parse(Generate(PyProjectApp()));
        AssertDependenciesThenSourcesThenProject(
            instructions, "pip wheel --wheel-dir /wheels --requirement /src/requirements.txt", "pip wheel --no-build-isolation --wheel-dir /project-wheel --no-deps /src/app");

        int runner = IndexOf(instructions, "FROM", " AS runner");
        List<Instruction> installs = instructions.Skip(runner).Where(i => i.Keyword == "RUN" && i.Arguments.Contains(" install ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, installs.Count);
        Assert.StartsWith("--mount=type=bind,from=builder,source=/wheels,target=/wheels ", installs[0].Arguments, StringComparison.Ordinal);
        Assert.EndsWith("--no-index --no-cache-dir --disable-pip-version-check --find-links /wheels /wheels/*.whl", installs[0].Arguments, StringComparison.Ordinal);
        Assert.StartsWith("--mount=type=bind,from=builder,source=/project-wheel,target=/project-wheel ", installs[1].Arguments, StringComparison.Ordinal);
        // No --find-links and no --no-deps: pip checks that the step before installed every dependency.
        Assert.EndsWith("install --no-index --no-cache-dir --disable-pip-version-check /project-wheel/*.whl", installs[1].Arguments, StringComparison.Ordinal);
        // The package is installed from its wheel: the app folder gets only the project's other files, from the builder.
        Assert.Equal("--from=builder [\"/src/app-files/\", \"/app/\"]", Assert.Single(instructions, i => i.Keyword == "COPY" && i.Arguments.Contains("--from", StringComparison.Ordinal)).Arguments);
        Assert.DoesNotContain(instructions.Skip(runner), i => i.Keyword == "COPY" && i.Arguments.Contains("\"app/\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_backend_is_installed_before_the_sources_and_builds_the_project_without_isolation()
    {
        PythonApp app = PythonAppResolver.Resolve(PyProjectApp());
        List<Instruction> instructions = DockerfileText.Parse(DockerfileGenerator.Generate(app).Dockerfile);

        Assert.Equal("setuptools>=61\nwheel\n", DockerfileGenerator.Generate(app).BuildRequirements);
        int backend = IndexOf(instructions, "RUN", "/opt/build-env/bin/python -m pip install --no-cache-dir --requirement /src/build-requirements.txt");
        int requirements = IndexOf(instructions, "RUN", "--requirement /src/requirements.txt");
        Assert.True(backend >= 0 && backend < requirements, "the build backend, which changes more rarely, is installed before the requirements (and so the sources)");
        Assert.Equal("[\"pycontainer/build-requirements.txt\", \"/src/build-requirements.txt\"]", instructions[backend - 1].Arguments);
        Assert.Contains(instructions, i => i.Keyword == "RUN" && i.Arguments.Replace("  ", " ", StringComparison.Ordinal).Contains("/opt/build-env/bin/python -m pip wheel --no-build-isolation --wheel-dir /project-wheel --no-deps /src/app && ", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_build_system_table_the_project_is_built_in_pips_isolated_environment()
    {
        PythonApp app = PythonAppResolver.Resolve(PyProjectApp(buildSystem: ""));
        string dockerfile = DockerfileGenerator.Generate(app).Dockerfile;

        Assert.Null(DockerfileGenerator.Generate(app).BuildRequirements);
        Assert.DoesNotContain("/opt/build-env", dockerfile, StringComparison.Ordinal);
        Assert.Contains("\n && python3 -m pip wheel --wheel-dir /project-wheel --no-deps /src/app \\\n", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Requirements_file_holds_the_requirements_then_the_projects_static_dependencies()
    {
        PythonAppSettings settings = PyProjectApp("dependencies = [\"markupsafe>=2\", 'six']");
        settings.PythonRequirement.Add("gunicorn");

        Assert.Equal("gunicorn\nmarkupsafe>=2\nsix\n", DockerfileGenerator.Generate(PythonAppResolver.Resolve(settings)).Requirements);
    }

    /// <summary>
    /// Only a build tells such a project's dependencies: the builder wheels the project alone, then what it needs,
    /// and moves the project's wheel out of the dependencies' folder, whose content (and so the runner's install
    /// layer, which BuildKit keys on the mounted content) then stays the same after a source edit.
    /// </summary>
    [Theory]
    [InlineData("dynamic = [\"dependencies\"]")]
    [InlineData("dependencies = []")]
    public void Project_whose_dependencies_only_its_build_tells_or_without_any_is_wheeled_alone_then_its_dependencies(string project)
    {
        PythonApp app = PythonAppResolver.Resolve(PyProjectApp(project));
        List<Instruction> instructions = DockerfileText.Parse(DockerfileGenerator.Generate(app).Dockerfile);

        string build = Assert.Single(instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("/src/app", StringComparison.Ordinal)).Arguments.Replace("  ", " ", StringComparison.Ordinal);
        Assert.Contains("python3 -m pip wheel --no-deps --wheel-dir /project-wheel /src/app && ", build, StringComparison.Ordinal);
        Assert.Contains("python3 -m pip wheel --wheel-dir /wheels --find-links /project-wheel /project-wheel/*.whl && ", build, StringComparison.Ordinal);
        // The sources are copied aside before the build backend writes into them (setuptools' build/ and *.egg-info).
        Assert.True(build.IndexOf("cp -a /src/app /src/app-files && ", StringComparison.Ordinal) is >= 0 and var copy && copy < build.IndexOf("pip wheel", StringComparison.Ordinal), build);
        Assert.EndsWith("python3 /src/split-project.py /project-wheel /wheels /src/app-files", build, StringComparison.Ordinal);
        int runner = IndexOf(instructions, "FROM", " AS runner");
        List<Instruction> installs = instructions.Skip(runner).Where(i => i.Keyword == "RUN" && i.Arguments.Contains(" install ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, installs.Count);
        Assert.Contains("if [ -n \"$(ls -A /wheels)\" ]; then python3 -m pip", installs[0].Arguments, StringComparison.Ordinal);
        Assert.StartsWith("--mount=type=bind,from=builder,source=/project-wheel,target=/project-wheel ", installs[1].Arguments, StringComparison.Ordinal);
        Assert.Null(DockerfileGenerator.Generate(app).Requirements);
        Assert.Contains("shutil.rmtree", DockerfileGenerator.Generate(app).ProjectSplitScript, StringComparison.Ordinal);
        Assert.Contains(ProjectSplit.ScriptContextPath, BuildContext.For(app, DockerfileGenerator.Generate(app)).Paths);
    }

    [Fact]
    public void Venv_strategy_installs_static_dependencies_first_and_merges_the_project_into_the_runners_venv()
    {
        List<Instruction> instructions = DockerfileText.Parse(Generate(PyProjectApp(strategy: "venv")));
        int project = AssertDependenciesThenSourcesThenProject(
            instructions, "install --requirement /src/requirements.txt", "install --no-index --no-warn-script-location --prefix /opt/project /project-wheel/*.whl");

        int venv = IndexOf(instructions, "COPY", "--from=builder [\"/opt/venv\", \"/opt/venv\"]");
        Assert.True(venv > project, "the runner copies the venv");
        Assert.Equal("--from=builder [\"/opt/project/\", \"/opt/venv/\"]", instructions[venv + 1].Arguments);
    }

    [Fact]
    public void Legacy_twin_of_a_project_with_static_dependencies_splits_the_same_way_without_mounts()
    {
        PythonApp app = PythonAppResolver.Resolve(PyProjectApp());
        string legacy = DockerfileGenerator.Generate(app).LegacyDockerfile!;

        Assert.DoesNotContain("--mount", legacy, StringComparison.Ordinal);
        Assert.Contains("COPY --from=builder [\"/opt/project/\", \"/opt/venv/\"]\n", legacy, StringComparison.Ordinal);
        // Both Dockerfiles travel in one context with one requirements file, which has the project's static dependencies.
        Assert.Contains("COPY [\"pycontainer/requirements.txt\", \"/src/requirements.txt\"]", legacy, StringComparison.Ordinal);
    }

    [Fact]
    public void Pex_builds_a_project_with_static_dependencies_as_before()
    {
        PythonApp app = PythonAppResolver.Resolve(PyProjectApp(strategy: "pex"));
        string dockerfile = DockerfileGenerator.Generate(app).Dockerfile;

        Assert.Contains("pip wheel --wheel-dir /wheels /src/app\n", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("/project-wheel", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain(GeneratedContext.RequirementsContextPath, BuildContext.For(app, DockerfileGenerator.Generate(app)).Paths);
    }

    /// <summary>The builder and runner stages: what comes before the entry-point check's stages.</summary>
    private static List<Instruction> BeforeCheck(List<Instruction> instructions)
    {
        int check = instructions.FindIndex(i => i.Keyword == "FROM" && i.Arguments == "runner AS check");
        return check < 0 ? instructions : instructions[..check];
    }

    [Fact]
    public void Builder_stage_comes_before_the_runner_then_the_check_stage_and_the_image_stage()
    {
        List<Instruction> from = DockerfileText.Parse(Generate(_project.FlaskSettings())).Where(i => i.Keyword == "FROM").ToList();

        Assert.Equal(4, from.Count);
        Assert.EndsWith(" AS builder", from[0].Arguments, StringComparison.Ordinal);
        Assert.EndsWith(" AS runner", from[1].Arguments, StringComparison.Ordinal);
        // The image is the runner as it is: a last stage without instructions, so it is byte-identical to it.
        Assert.Equal(["runner AS check", "runner AS final"], from[2..].Select(i => i.Arguments));
    }

    [Fact]
    public void Explicit_images_appear_in_FROM()
    {
        PythonAppSettings settings = ModuleAppWithOsPackages("registry.example.com/base/python:3.11-slim");

        List<Instruction> from = BeforeCheck(DockerfileText.Parse(Generate(settings))).Where(i => i.Keyword == "FROM").ToList();

        Assert.Equal(["registry.example.com/base/python:3.11 AS builder", "registry.example.com/base/python:3.11-slim AS runner"], from.Select(i => i.Arguments));
    }

    [Fact]
    public void Requirements_are_copied_before_the_app()
    {
        List<Instruction> instructions = DockerfileText.Parse(Generate(_project.FlaskSettings()));

        int requirements = instructions.FindIndex(i => i.Keyword == "COPY" && i.Arguments.StartsWith("[\"pycontainer/requirements.txt\"", StringComparison.Ordinal));
        int app = instructions.FindLastIndex(i => i.Keyword == "COPY" && i.Arguments == "[\"app/\", \"/app/\"]");
        Assert.True(requirements >= 0, "the requirements are copied");
        Assert.True(app > requirements, "the app is copied after the requirements");
    }

    [Fact]
    public void Runner_installs_the_wheels_through_a_bind_mount_of_the_builder()
    {
        List<Instruction> instructions = DockerfileText.Parse(Generate(_project.FlaskSettings()));
        int runner = instructions.FindIndex(i => i.Keyword == "FROM" && i.Arguments.EndsWith(" AS runner", StringComparison.Ordinal));

        Instruction install = Assert.Single(instructions.Skip(runner), i => i.Keyword == "RUN" && i.Arguments.Contains("pip", StringComparison.Ordinal));
        Assert.StartsWith("--mount=type=bind,from=builder,", install.Arguments, StringComparison.Ordinal);
        Assert.Contains("--no-index", install.Arguments, StringComparison.Ordinal);
        // No COPY --from: wheels never become a layer of the runner.
        Assert.DoesNotContain(instructions, i => i.Keyword == "COPY" && i.Arguments.Contains("--from", StringComparison.Ordinal));
    }

    [Fact]
    public void Script_app_without_requirements_has_one_stage_and_no_pip_install()
    {
        List<Instruction> instructions = BeforeCheck(DockerfileText.Parse(Generate(ScriptApp())));

        Instruction from = Assert.Single(instructions, i => i.Keyword == "FROM");
        Assert.EndsWith(" AS runner", from.Arguments, StringComparison.Ordinal);
        Assert.DoesNotContain(instructions, i => i.Arguments.Contains("--mount", StringComparison.Ordinal));
        Assert.DoesNotContain(instructions, i => i.Keyword == "EXPOSE");
        Assert.Equal(["python3", "main.py"], DockerfileText.DecodeExecForm(instructions[^1].Arguments));
    }

    [Fact]
    public void Module_app_runs_with_python_m() =>
        Assert.Equal(
            ["python3", "-m", "inventory"],
            DockerfileText.DecodeExecForm(DockerfileText.Parse(Generate(ModuleAppWithOsPackages())).Single(i => i.Keyword == "CMD").Arguments));

    [Fact]
    public void Has_no_syntax_directive()
    {
        // A '# syntax=' line would make BuildKit pull a frontend image from Docker Hub on every build.
        foreach (string text in new[] { Generate(_project.FlaskSettings()), Generate(ScriptApp()), Generate(ModuleAppWithOsPackages()) })
        {
            Assert.DoesNotContain(text.Split('\n'), l => l.TrimStart('#', ' ', '\t').StartsWith("syntax", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(text.Split('\n'), l => l.TrimStart('#', ' ', '\t').StartsWith("escape", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Last_user_is_not_root_and_cmd_is_exec_form_at_the_end()
    {
        List<Instruction> instructions = BeforeCheck(DockerfileText.Parse(Generate(_project.FlaskSettings())));

        Instruction user = instructions.Last(i => i.Keyword == "USER");
        Assert.DoesNotContain(user.Arguments.Split(':')[0], RootUsers);
        Assert.Equal("CMD", instructions[^1].Keyword);
        Assert.Contains("app:app", DockerfileText.DecodeExecForm(instructions[^1].Arguments));
    }

    [Fact]
    public void Wsgi_app_gets_PORT_and_EXPOSE()
    {
        List<Instruction> instructions = DockerfileText.Parse(Generate(_project.FlaskSettings()));

        Assert.Contains(new KeyValuePair<string, string>("PORT", "8000"), instructions.Where(i => i.Keyword == "ENV").SelectMany(i => DockerfileText.DecodePairs(i.Arguments, allowExpansion: true)));
        Assert.Equal("8000/tcp", Assert.Single(instructions, i => i.Keyword == "EXPOSE").Arguments);
    }

    [Fact]
    public void Apt_get_skips_recommends_and_removes_its_lists_in_the_same_run()
    {
        List<Instruction> runs = DockerfileText.Parse(Generate(ModuleAppWithOsPackages())).Where(i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, runs.Count);
        Assert.Contains("apt-get install -y --no-install-recommends gcc libpq-dev", runs[0].Arguments, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y --no-install-recommends libpq5", runs[1].Arguments, StringComparison.Ordinal);
        Assert.All(runs, run =>
        {
            Assert.StartsWith("apt-get update", run.Arguments, StringComparison.Ordinal);
            Assert.EndsWith("rm -rf /var/lib/apt/lists/*", run.Arguments, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Alpine_images_use_apk_without_a_cache()
    {
        List<Instruction> instructions = BeforeCheck(DockerfileText.Parse(Generate(ModuleAppWithOsPackages("python:3.12-alpine"))));

        Assert.Equal(["python:3.12-alpine AS builder", "python:3.12-alpine AS runner"], instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments));
        Assert.Contains(instructions, i => i.Keyword == "RUN" && i.Arguments == "apk add --no-cache gcc libpq-dev");
        Assert.Contains(instructions, i => i.Keyword == "RUN" && i.Arguments == "apk add --no-cache libpq5");
        Assert.DoesNotContain(instructions, i => i.Arguments.Contains("apt-get", StringComparison.Ordinal));
    }

    [Fact]
    public void Os_packages_install_before_the_requirements_and_the_app()
    {
        List<Instruction> instructions = DockerfileText.Parse(Generate(ModuleAppWithOsPackages()));
        int IndexOf(Func<Instruction, bool> match) => instructions.FindIndex(i => match(i));

        int buildPackages = IndexOf(i => i.Arguments.Contains("libpq-dev", StringComparison.Ordinal));
        int wheels = IndexOf(i => i.Arguments.Contains("pip wheel", StringComparison.Ordinal));
        int runtimePackages = IndexOf(i => i.Arguments.Contains("libpq5", StringComparison.Ordinal));
        int app = IndexOf(i => i.Keyword == "COPY" && i.Arguments.StartsWith("[\"app/\"", StringComparison.Ordinal));
        Assert.True(buildPackages < wheels, "build packages come before pip wheel");
        Assert.True(runtimePackages < app, "runtime packages come before the app");
    }

    [Fact]
    public void Source_changes_leave_the_dockerfile_unchanged()
    {
        string before = Generate(_project.FlaskSettings());
        _project.Write("app.py", TestProject.FlaskApp + "\n# edited\n");

        Assert.Equal(before, Generate(_project.FlaskSettings()));
    }

    [Fact]
    public void Requirements_file_holds_one_line_per_requirement()
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.PythonRequirement.Add("requests>=2");

        Assert.Equal("flask==3.0.3\ngunicorn==23.0.0\nrequests>=2\n", DockerfileGenerator.Generate(PythonAppResolver.Resolve(settings)).Requirements);
    }

    [Fact]
    public void Legacy_builder_gets_no_RUN_mount()
    {
        var settings = TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "legacy",
            Files = [_project.Source("app.py", TestProject.FlaskApp)],
            PythonRequirement = ["flask", "gunicorn"],
            PythonWsgiApp = "app:app",
            ContainerBuildKit = false,
        };

        string dockerfile = Generate(settings);

        Assert.DoesNotContain("--mount", dockerfile, StringComparison.Ordinal);
        Assert.Contains(DockerfileText.Parse(dockerfile), i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=builder ", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_lf_line_endings()
    {
        Assert.DoesNotContain('\r', Generate(ModuleAppWithOsPackages()));
    }
}
