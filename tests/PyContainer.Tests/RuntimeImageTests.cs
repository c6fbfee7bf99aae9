using System.Diagnostics;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>
/// The image at run time: writable folders, startup steps in the generated entrypoint, PORT for every entry
/// point, factories per server, and the build-time entry-point check stage.
/// </summary>
public sealed class RuntimeImageTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    /// <summary>Flask's tutorial shape: a factory, instance/ state, an init-db startup step.</summary>
    private PythonAppSettings FlaskrSettings() => TargetDefaults.Settings with
    {
        ProjectDirectory = _project.Directory,
        ProjectName = "flaskr",
        Files = [_project.Source("flaskr/__init__.py", "def create_app():\n    pass\n")],
        PythonRequirement = ["flask", "gunicorn"],
        PythonWsgiApp = "flaskr:create_app()",
        ContainerWritableDirectory = [new("instance", "true"), new("/var/lib/flaskr")],
        ContainerStartupStep = [new("init-db", ["flask", "--app", "flaskr", "init-db"])],
    };

    private static List<Instruction> Parse(PythonAppSettings settings) => DockerfileText.Parse(DockerfileGenerator.Generate(PythonAppResolver.Resolve(settings)).Dockerfile);

    [Fact]
    public void Flaskr_matches_its_golden_files()
    {
        PythonApp app = PythonAppResolver.Resolve(FlaskrSettings());

        Golden.AssertMatches("flaskr-writable-steps.Dockerfile", DockerfileGenerator.Generate(app).Dockerfile);
        Golden.AssertMatches("flaskr-entrypoint.sh", DockerfileGenerator.Generate(app).EntrypointScript!);
    }

    [Theory]
    [InlineData("instance", "/app/instance")]
    [InlineData("data/uploads/", "/app/data/uploads")]
    [InlineData("/var/lib/bepasty", "/var/lib/bepasty")]
    [InlineData("/srv//media", "/srv/media")]
    [InlineData("instance\\cache", "/app/instance/cache")]
    public void Writable_directories_are_relative_to_the_working_directory_or_absolute(string include, string path) =>
        Assert.Equal(path, Assert.Single(WritableDirectoryResolver.Resolve([new(include)], "/app")).Path);

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("instance/../..")]
    [InlineData("./instance")]
    [InlineData("/")]
    [InlineData(".")]
    [InlineData("/app")]
    [InlineData("/usr/lib/python3")]
    [InlineData("/opt/venv")]
    [InlineData("/opt")]
    [InlineData("/etc")]
    [InlineData("inst ance")]
    [InlineData("inst$ance")]
    [InlineData("inst\nance")]
    [InlineData("~/data")]
    public void Bad_writable_directories_are_PYC1030(string include) =>
        Assert.Contains("Name a folder relative to ContainerWorkingDirectory", Coded.Throws(Errors.InvalidWritableDirectory, () => WritableDirectoryResolver.Resolve([new(include)], "/app")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("schema.sql")]
    [InlineData("schema.sql/data")]
    [InlineData("/app/flaskr/__init__.py")]
    public void A_writable_folder_on_a_file_of_the_app_is_PYC1030(string include)
    {
        PyContainerException error = Coded.Throws(Errors.InvalidWritableDirectory, () => WritableDirectoryResolver.Resolve([new(include)], "/app", ["flaskr/__init__.py", "schema.sql"]));
        Assert.Contains("is a file of the app, not a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Volume_that_is_no_boolean_is_PYC1030() =>
        Assert.Contains("Volume='yes'", Coded.Throws(Errors.InvalidWritableDirectory, () => WritableDirectoryResolver.Resolve([new("instance", "yes")], "/app")).Message, StringComparison.Ordinal);

    [Fact]
    public void Writable_directories_are_made_after_the_app_is_copied_owned_by_the_runtime_user_and_volumes_come_before_USER()
    {
        List<Instruction> instructions = Parse(FlaskrSettings() with { ContainerUser = "app:app" });

        int copy = instructions.FindIndex(i => i.Keyword == "COPY" && i.Arguments == "[\"app/\", \"/app/\"]");
        int run = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("mkdir", StringComparison.Ordinal));
        int volume = instructions.FindIndex(i => i.Keyword == "VOLUME");
        int user = instructions.FindLastIndex(i => i.Keyword == "USER");
        Assert.True(copy < run && run < volume && volume < user, "COPY app, then mkdir/chown, then VOLUME, then USER");
        Assert.Contains("mkdir -p /app/instance /var/lib/flaskr", instructions[run].Arguments, StringComparison.Ordinal);
        Assert.Contains("chown -R app:app /app/instance /var/lib/flaskr", instructions[run].Arguments, StringComparison.Ordinal);
        // Only the folder marked Volume="true".
        Assert.Equal("[\"/app/instance\"]", instructions[volume].Arguments);
        Assert.Single(instructions, i => i.Arguments.Contains("chown", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_writable_directories_nothing_is_chowned()
    {
        List<Instruction> instructions = Parse(_project.FlaskSettings());

        Assert.DoesNotContain(instructions, i => i.Arguments.Contains("chown", StringComparison.Ordinal) || i.Keyword == "VOLUME");
    }

    [Fact]
    public void Pex_is_unpacked_at_build_time_into_a_root_owned_folder_and_writable_directories_follow()
    {
        PythonAppSettings settings = TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "pexapp",
            Files = [_project.Source("setup.py", "import setuptools\nsetuptools.setup(name='pexapp', py_modules=['app'])\n"), _project.Source("app.py", TestProject.FlaskApp)],
            PythonRequirement = ["flask", "gunicorn"],
            PythonProjectDirectory = ".",
            PythonInstallStrategy = "pex",
            PythonWsgiApp = "app:app",
            ContainerWritableDirectory = [new("/var/lib/pexapp")],
        };

        List<Instruction> instructions = Parse(settings);

        Assert.Contains(instructions, i => i.Keyword == "ENV" && i.Arguments == "PEX_ROOT=\"/opt/pex-root\"");
        Instruction warm = Assert.Single(instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("PEX_INTERPRETER=1 python3 /opt/app.pex -c pass", StringComparison.Ordinal));
        Assert.Contains("mkdir -p /var/lib/pexapp", warm.Arguments, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", string.Join("\n", instructions.TakeWhile(i => i.Arguments != "runner AS check").Select(i => i.Arguments)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flask;--app;flaskr;init-db", new[] { "flask", "--app", "flaskr", "init-db" })]
    [InlineData("python3;-c;print(1)%3Bprint(2)", new[] { "python3", "-c", "print(1);print(2)" })]
    [InlineData(" a ; ;b ;", new[] { "a", "b" })]
    [InlineData("echo;%22quoted%22;it's;100%25", new[] { "echo", "\"quoted\"", "it's", "100%" })]
    [InlineData("echo;a b", new[] { "echo", "a b" })]
    [InlineData("", new string[0])]
    public void Command_metadata_splits_at_semicolons_and_unescapes_MSBuild_escapes(string escaped, string[] arguments) =>
        Assert.Equal(arguments, StartupStepResolver.SplitCommand(escaped));

    [Theory]
    [InlineData("", "flask")]
    [InlineData("init db", "flask")]
    [InlineData("-init", "flask")]
    [InlineData("init;db", "flask")]
    [InlineData("init-db", "")]
    [InlineData("init-db", "a\nb")]
    [InlineData("init-db", "a\tb")]
    [InlineData("init-db", "a\0b")]
    public void Bad_startup_steps_are_PYC1031(string name, string argument) =>
        Assert.Contains("(';' separates arguments, '%3B' is a literal ';')", Coded.Throws(Errors.InvalidStartupStep, () => PythonAppResolver.Resolve(_project.FlaskSettings() with { ContainerStartupStep = [new(name, argument.Length == 0 ? [] : [argument])] })).Message, StringComparison.Ordinal);

    [Fact]
    public void Two_steps_with_one_name_and_a_Django_step_name_are_PYC1031()
    {
        Assert.Contains("another step has that name", Coded.Throws(Errors.InvalidStartupStep, () => PythonAppResolver.Resolve(_project.FlaskSettings() with { ContainerStartupStep = [new("seed", ["a"]), new("seed", ["b"])] })).Message, StringComparison.Ordinal);
        PythonAppSettings django = _project.FlaskSettings() with { PythonWsgiApp = null, PythonDjangoSettingsModule = "site.settings", ContainerStartupStep = [new("migrate", ["true"])] };
        Assert.Contains("Django", Coded.Throws(Errors.InvalidStartupStep, () => PythonAppResolver.Resolve(django)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_get_an_entrypoint_and_apps_without_steps_none()
    {
        List<Instruction> withSteps = Parse(FlaskrSettings());
        List<Instruction> without = Parse(_project.FlaskSettings());

        Assert.Contains(withSteps, i => i.Keyword == "ENTRYPOINT" && i.Arguments == "[\"sh\", \"/opt/pycontainer/entrypoint.sh\"]");
        Assert.DoesNotContain(without, i => i.Keyword == "ENTRYPOINT");
        Assert.Null(DockerfileGenerator.Generate(PythonAppResolver.Resolve(_project.FlaskSettings())).EntrypointScript);
    }

    public static TheoryData<string> HostileArguments() =>
    [
        "$(id)", "`id`", "${HOME}", "$HOME", "a'b", "''", "a\"b", "back\\slash", "a;b&&c|d", "*", "-n", "#comment", " lead and trail ",
        "x\u2028y", "ünïcødé", "%3B", "!", "~", "a\\'b",
    ];

    /// <summary>The script as sh runs it: each argument reaches the command exactly as given, nothing expands.</summary>
    [Theory]
    [MemberData(nameof(HostileArguments))]
    public void Each_step_argument_reaches_the_command_verbatim_when_sh_runs_the_script(string argument)
    {
        PythonApp app = PythonAppResolver.Resolve(_project.FlaskSettings() with { ContainerStartupStep = [new("echo-it", ["printf", "[%s]\\n", argument, "second"])] });

        (int code, string output, _) = RunScript(app, "printf", "server:%s\\n", "$PPID");

        Assert.Equal(0, code);
        Assert.Equal($"pycontainer: startup step 'echo-it'\n[{argument}]\n[second]\nserver:$PPID\n", output);
    }

    [Fact]
    public void A_failing_step_stops_the_script_with_its_name_and_exit_code_and_the_server_never_starts()
    {
        PythonApp app = PythonAppResolver.Resolve(_project.FlaskSettings() with
        {
            ContainerStartupStep = [new("first", ["true"]), new("init-db", ["sh", "-c", "exit 7"]), new("never", ["echo", "never ran"])],
        });

        (int code, string output, string error) = RunScript(app, "echo", "server started");

        Assert.Equal(7, code);
        Assert.Contains("pycontainer: startup step 'init-db' failed with exit code 7", error, StringComparison.Ordinal);
        Assert.DoesNotContain("never ran", output, StringComparison.Ordinal);
        Assert.DoesNotContain("server started", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_is_execed_so_it_keeps_the_scripts_process()
    {
        PythonApp app = PythonAppResolver.Resolve(_project.FlaskSettings() with { ContainerStartupStep = [new("noop", ["true"])] });

        // `exec` replaces the shell: the server's PID is the script's own ($$ in the script, the child's $$ after exec).
        (_, string output, _) = RunScript(app, "sh", "-c", "echo pid=$$ parent=$PPID");

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("pid=", lines[^1], StringComparison.Ordinal);
        Assert.NotEqual(lines[^1].Split(' ')[0][4..], lines[^1].Split(' ')[1][7..]);
    }

    [Fact]
    public void Django_migrate_and_loaddata_are_steps_switched_by_their_variables()
    {
        _project.Write("manage.py", "");
        PythonApp app = PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "site",
            Files = [_project.Source("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"), new InputFile("PythonContent", _project.Write("f.json", "[]"))],
            PythonDjangoFixture = ["f.json"],
            ContainerStartupStep = [new("seed", ["python3", "manage.py", "seed"])],
        });

        string script = DockerfileGenerator.Generate(app).EntrypointScript!;

        int migrate = script.IndexOf("if [ \"${PYCONTAINER_MIGRATE:-1}\" = \"1\" ]; then\n  pycontainer_step 'migrate' 'python3' 'manage.py' 'migrate' '--noinput'\nfi", StringComparison.Ordinal);
        int fixtures = script.IndexOf("if [ \"${PYCONTAINER_LOAD_FIXTURES:-0}\" = \"1\" ]; then\n  pycontainer_step 'loaddata'", StringComparison.Ordinal);
        int seed = script.IndexOf("pycontainer_step 'seed'", StringComparison.Ordinal);
        Assert.True(migrate >= 0 && migrate < fixtures && fixtures < seed, script);
    }

    [Fact]
    public void PYCONTAINER_MIGRATE_0_skips_the_migrate_step()
    {
        PythonApp app = PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "site",
            Files = [_project.Source("manage.py", "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n")],
        });

        (int code, string output, _) = RunScript(app, ["echo", "served"], new Dictionary<string, string> { ["PYCONTAINER_MIGRATE"] = "0" });

        Assert.Equal(0, code);
        Assert.Equal("served\n", output);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("80 ")]
    [InlineData("9000")]
    public void A_PORT_variable_the_server_would_reject_or_that_disagrees_with_the_first_ContainerPort_is_PYC1032(string value)
    {
        PythonAppSettings settings = _project.FlaskSettings() with { ContainerEnvironmentVariable = [new("PORT", value)] };

        string message = Coded.Throws(Errors.InvalidPortVariable, () => PythonAppResolver.Resolve(settings)).Message;

        Assert.Contains("ContainerPort", message, StringComparison.Ordinal);
        Assert.Contains("would stop or misplace the server at start", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("many")]
    [InlineData("0")]
    [InlineData("-1")]
    public void A_WEB_CONCURRENCY_gunicorn_cannot_read_is_PYC1032(string value) =>
        Assert.Contains("WEB_CONCURRENCY", Coded.Throws(Errors.InvalidPortVariable, () => PythonAppResolver.Resolve(_project.FlaskSettings() with { ContainerEnvironmentVariable = [new("WEB_CONCURRENCY", value)] })).Message, StringComparison.Ordinal);

    [Fact]
    public void A_PORT_variable_equal_to_the_first_ContainerPort_is_accepted() =>
        PythonAppResolver.Resolve(_project.FlaskSettings() with { ContainerEnvironmentVariable = [new("PORT", "8000")] });

    [Theory]
    [InlineData("command")]
    [InlineData("script")]
    [InlineData("module")]
    public void Every_entry_point_gets_PORT_from_the_first_ContainerPort(string kind)
    {
        PythonAppSettings settings = _project.FlaskSettings() with
        {
            PythonWsgiApp = null,
            ContainerAppCommand = kind == "command" ? ["gunicorn", "app:app"] : [],
            PythonScript = kind == "script" ? "app.py" : null,
            PythonModule = kind == "module" ? "app" : null,
            ContainerPort = [new("5000", ""), new("5001", "")],
        };

        List<Instruction> instructions = Parse(settings);

        Assert.Contains(instructions, i => i.Keyword == "ENV" && i.Arguments.Contains("PORT=\"5000\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gunicorn", new[] { "gunicorn", "--worker-tmp-dir", "/dev/shm", "app:create_app()" })]
    [InlineData("waitress", new[] { "sh", "-c", "exec waitress-serve --listen=0.0.0.0:${PORT} --call app:create_app" })]
    public void Each_WSGI_server_calls_a_factory_its_own_way(string server, string[] command) =>
        Assert.Equal(command, StartCommand.For(PythonAppResolver.Resolve(_project.FlaskSettings() with { PythonWsgiApp = "app:create_app()", PythonWsgiServer = server })));

    [Fact]
    public void Uvicorn_calls_a_factory_with_factory() =>
        Assert.Equal(
            ["sh", "-c", "exec uvicorn --host 0.0.0.0 --port ${PORT} --factory main:create_app"],
            StartCommand.For(PythonAppResolver.Resolve(_project.FlaskSettings() with { PythonWsgiApp = null, PythonAsgiApp = "main:create_app()" })));

    [Fact]
    public void Twisted_cannot_call_a_factory_PYC1033_names_the_property_and_the_fix()
    {
        string message = Coded.Throws(Errors.FactoryNotSupported, () => PythonAppResolver.Resolve(_project.FlaskSettings() with { PythonWsgiApp = "app:create_app()", PythonWsgiServer = "twisted" })).Message;

        Assert.Contains("PythonWsgiApp=app:create_app()", message, StringComparison.Ordinal);
        Assert.Contains("app = create_app()", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_stage_runs_the_check_script_from_the_context_and_the_last_stage_is_the_runner()
    {
        PythonApp app = PythonAppResolver.Resolve(FlaskrSettings());
        List<Instruction> instructions = DockerfileText.Parse(DockerfileGenerator.Generate(app).Dockerfile);

        int check = instructions.FindIndex(i => i.Keyword == "FROM" && i.Arguments == "runner AS check");
        Assert.Equal("ENV", instructions[check + 1].Keyword);
        Assert.StartsWith("PYCONTAINER_CHECK_SERVER=\"gunicorn\"", instructions[check + 1].Arguments, StringComparison.Ordinal);
        Instruction run = instructions[check + 2];
        Assert.Equal("RUN", run.Keyword);
        Assert.StartsWith("--mount=type=bind,source=pycontainer/check-entry-point.py,", run.Arguments, StringComparison.Ordinal);
        Assert.EndsWith("[\"python3\", \"/tmp/pycontainer-check-entry-point.py\", \"wsgi\", \"PythonWsgiApp\", \"flaskr:create_app()\"]", run.Arguments, StringComparison.Ordinal);
        Assert.Equal(new Instruction("FROM", "runner AS final", instructions[^1].Line), instructions[^1]);
        Assert.Contains(EntryPointCheck.ScriptContextPath, BuildContext.For(app, DockerfileGenerator.Generate(app)).Paths);
    }

    [Fact]
    public void The_legacy_twin_copies_the_check_script_into_the_check_stage_only()
    {
        PythonApp app = PythonAppResolver.Resolve(FlaskrSettings());
        List<Instruction> instructions = DockerfileText.Parse(DockerfileGenerator.Generate(app).LegacyDockerfile!);

        int check = instructions.FindIndex(i => i.Keyword == "FROM" && i.Arguments == "runner AS check");
        Assert.Equal("COPY", instructions[check + 2].Keyword);
        Assert.Contains("pycontainer/check-entry-point.py", instructions[check + 2].Arguments, StringComparison.Ordinal);
        Assert.DoesNotContain(instructions, i => i.Arguments.Contains("--mount", StringComparison.Ordinal));
        Assert.DoesNotContain(instructions[..check], i => i.Arguments.Contains("check-entry-point", StringComparison.Ordinal));
    }

    [Fact]
    public void PythonEntryPointCheck_false_leaves_the_check_out()
    {
        PythonApp app = PythonAppResolver.Resolve(FlaskrSettings() with { PythonEntryPointCheck = false });
        GeneratedContext generated = DockerfileGenerator.Generate(app);
        string dockerfile = generated.Dockerfile;

        Assert.DoesNotContain("AS check", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("AS final", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain(EntryPointCheck.ScriptContextPath, BuildContext.For(app, generated).Paths);
    }

    [Theory]
    [InlineData("django", new[] { "django", "PythonDjangoSettingsModule", "site.settings", "PythonWsgiApp", "site.wsgi:application" })]
    [InlineData("module", new[] { "module", "PythonModule", "app" })]
    [InlineData("script", new[] { "script", "PythonScript", "app.py" })]
    [InlineData("command", new[] { "command", "ContainerAppCommand", "gunicorn" })]
    [InlineData("detected", new[] { "wsgi", "PythonWsgiApp", "app:app" })]
    public void The_check_names_the_property_that_set_the_entry_point(string kind, string[] arguments)
    {
        PythonAppSettings settings = _project.FlaskSettings() with
        {
            PythonWsgiApp = null,
            PythonDjangoSettingsModule = kind == "django" ? "site.settings" : null,
            PythonModule = kind == "module" ? "app" : null,
            PythonScript = kind == "script" ? "app.py" : null,
            ContainerAppCommand = kind == "command" ? ["gunicorn", "app:app"] : [],
        };

        Assert.Equal(arguments, EntryPointCheck.Arguments(PythonAppResolver.Resolve(settings)));
    }

    [Fact]
    public void A_failure_line_in_the_log_becomes_PYC3007_naming_the_property_and_Pythons_last_line()
    {
        string log = "Traceback (most recent call last):\n  ...\nModuleNotFoundError: No module named 'flaskrr'\n"
            + "pycontainer-check-failed\tPythonWsgiApp\tflaskrr:create_app()\tModuleNotFoundError: No module named 'flaskrr'\n";

        PyContainerException error = EntryPointCheck.FindFailure(log)!;

        Assert.Equal(Errors.EntryPointCheckFailed, error.Code);
        Assert.Contains("PythonWsgiApp=flaskrr:create_app()", error.Message, StringComparison.Ordinal);
        Assert.Contains("ModuleNotFoundError: No module named 'flaskrr'", error.Message, StringComparison.Ordinal);
        Assert.Contains("PythonEntryPointCheck=false", error.Message, StringComparison.Ordinal);
        Assert.Null(EntryPointCheck.FindFailure("ModuleNotFoundError: No module named 'flaskrr'\n"));
    }

    [Fact]
    public void The_check_script_fails_with_PYC3007_when_the_server_is_not_installed()
    {
        string script = _project.Write("check.py", EntryPointCheck.Script);
        _project.Write("okapp.py", "def app(environ, start_response):\n    return []\n");
        string[] command = ["python3", script, "wsgi", "PythonWsgiApp", "okapp:app"];

        var found = Run(command, new() { ["PYCONTAINER_CHECK_SERVER"] = "sh" });
        var missing = Run(command, new() { ["PYCONTAINER_CHECK_SERVER"] = "no-such-server-here", ["PYCONTAINER_CHECK_SERVER_PACKAGE"] = "gunicorn" });

        Assert.Equal(0, found.Code);
        Assert.Equal(3, missing.Code);
        PyContainerException error = EntryPointCheck.FindFailure(missing.Error)!;
        Assert.Equal(Errors.EntryPointCheckFailed, error.Code);
        Assert.Contains("the server 'no-such-server-here' that starts PythonWsgiApp is not installed in the image: add 'gunicorn' to the requirements", error.Message, StringComparison.Ordinal);
    }

    private (int Code, string Output, string Error) RunScript(PythonApp app, params string[] command) => RunScript(app, command, new Dictionary<string, string>());

    private (int Code, string Output, string Error) RunScript(PythonApp app, string[] command, Dictionary<string, string> environment)
    {
        string script = _project.Write("entrypoint.sh", DockerfileGenerator.Generate(app).EntrypointScript!);
        return Run(["sh", script, .. command], environment);
    }

    private (int Code, string Output, string Error) Run(string[] command, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _project.Directory };
        foreach (string argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
