using PyContainer.Daemonless;
using PyContainer.Dockerfile;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Daemonless;

/// <summary>
/// The daemonless plan against the Dockerfile's runner stage: both come from one RunnerConfiguration, so every field
/// of the image config (Env, PATH, WorkingDir, User, ExposedPorts, Labels, Healthcheck, Volumes, Entrypoint, Cmd)
/// and every COPY from the context must agree, whatever the app's shape.
/// </summary>
public sealed class ImagePlanGeneratorTests : IDisposable
{
    private const string Lock = "flask==3.0.3 \\\n    --hash=sha256:" + "34e7f8a3c1a4ec1b8b7ad4e5f3f1e6b1c2d9a0b7c6e5d4f3a2b1c0d9e8f7a6b5\n";

    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    private PythonAppSettings Flask() => _project.FlaskSettings() with
    {
        ContainerBuildMode = "Daemonless",
        ContainerPort = [new("8000", "tcp")],
        ContainerLabel = [new("org.opencontainers.image.title", "flask-hello"), new("org.opencontainers.image.description", "Hello \"quoted\" $HOME")],
        PythonLockFile = _project.Write("requirements.lock.txt", Lock),
    };

    /// <summary>Flask's tutorial shape: factory, writable folders (one a volume), a startup step, health check, variables.</summary>
    private PythonAppSettings Flaskr() => Flask() with
    {
        PythonWsgiApp = "flaskr:create_app()",
        Files = [_project.Source("flaskr/__init__.py", "def create_app():\n    pass\n")],
        ContainerWritableDirectory = [new("instance", "true"), new("/var/lib/flaskr")],
        ContainerStartupStep = [new("init-db", ["flask", "--app", "flaskr", "init-db"])],
        ContainerHealthCheckPath = "/health",
        ContainerEnvironmentVariable = [new("APP_MODE", "production"), new("PYTHONUNBUFFERED", "0")],
        ContainerUser = "10001:10001",
        ContainerWorkingDirectory = "/srv/flaskr",
    };

    private PythonAppSettings Django() => Flask() with
    {
        PythonWsgiApp = null,
        Files = [_project.Source("manage.py", "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"), _project.Source("mysite/settings.py", "")],
        PythonDjangoFixture = [],
    };

    public static TheoryData<string> Shapes => new() { "flask", "flaskr", "django", "module", "uvicorn-factory" };

    private PythonAppSettings Shape(string name) => name switch
    {
        "flask" => Flask(),
        "flaskr" => Flaskr(),
        "django" => Django(),
        "module" => Flask() with { PythonWsgiApp = null, PythonModule = "worker", Files = [_project.Source("worker.py")], ContainerPort = [] },
        "uvicorn-factory" => Flask() with { PythonWsgiApp = null, PythonAsgiApp = "main:create_app()", Files = [_project.Source("main.py")] },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_plan_equals_the_runner_stage_field_by_field(string shape)
    {
        PythonApp app = PythonAppResolver.Resolve(Shape(shape));
        GeneratedContext generated = DockerfileGenerator.Generate(app);
        ImagePlan plan = ImagePlan.FromJson(generated.ImagePlan!);
        List<Instruction> runner = RunnerStage(generated.Dockerfile);

        var environment = runner.Where(i => i.Keyword == "ENV").SelectMany(i => DockerfileText.DecodePairs(i.Arguments, allowExpansion: true)).ToList();
        Assert.Equal(environment.Where(p => p.Key != "PATH").Select(p => new NamedValue(p.Key, p.Value)), plan.Environment);
        Assert.Equal(plan.PathPrefix + ":$PATH", Assert.Single(environment, p => p.Key == "PATH").Value);
        Assert.Equal(plan.WorkingDirectory, Single(runner, "WORKDIR"));
        Assert.Equal(plan.User, Single(runner, "USER"));
        Assert.Equal(plan.ExposedPorts, runner.Where(i => i.Keyword == "EXPOSE").SelectMany(i => i.Arguments.Split(' ')));
        Assert.Equal(plan.Labels, runner.Where(i => i.Keyword == "LABEL").SelectMany(i => DockerfileText.DecodePairs(i.Arguments)).Select(p => new NamedValue(p.Key, p.Value)));
        Assert.Equal(plan.Volumes, runner.Where(i => i.Keyword == "VOLUME").SelectMany(i => DockerfileText.DecodeExecForm(i.Arguments)));
        Assert.Equal(plan.Entrypoint, runner.Where(i => i.Keyword == "ENTRYPOINT").Select(i => DockerfileText.DecodeExecForm(i.Arguments)).SingleOrDefault());
        Assert.Equal(plan.Cmd, DockerfileText.DecodeExecForm(Single(runner, "CMD")));
        AssertHealthCheck(plan.HealthCheck, runner.SingleOrDefault(i => i.Keyword == "HEALTHCHECK"));
        var copies = runner.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--", StringComparison.Ordinal)).Select(i => DockerfileText.DecodeExecForm(i.Arguments));
        Assert.Equal(copies.Select(c => (c[0], c[1])), plan.Files.Select(f => (f.Source, f.Target)));
        Assert.Equal("/opt/venv", plan.VirtualEnvironment);
        Assert.Equal("/opt/venv/bin", plan.PathPrefix);
        Assert.Equal("pycontainer/lock/requirements.lock.txt", plan.LockFile);
        Assert.Equal(app.RunnerImage.ToString(), plan.BaseImage);
    }

    [Fact]
    public void A_flask_hello_plan_holds_what_its_runner_stage_sets()
    {
        ImagePlan plan = ImagePlan.FromJson(DockerfileGenerator.Generate(PythonAppResolver.Resolve(Flask())).ImagePlan!);

        Assert.Equal("python:3.12-slim", plan.BaseImage);
        Assert.Null(plan.PythonVersion);
        Assert.Null(plan.Libc);
        Assert.Equal(
            [new("PYTHONUNBUFFERED", "1"), new("PYTHONDONTWRITEBYTECODE", "1"), new("VIRTUAL_ENV", "/opt/venv"), new("PORT", "8000"), new NamedValue("PYTHONPATH", "/app")],
            plan.Environment);
        Assert.Equal(["gunicorn", "--worker-tmp-dir", "/dev/shm", "app:app"], plan.Cmd);
        Assert.Null(plan.Entrypoint);
        Assert.Null(plan.HealthCheck);
        Assert.Equal([new PlannedFile("app/", "/app/", false)], plan.Files);
        Assert.Empty(plan.WritableDirectories);
        Assert.Equal("10001", plan.User);
    }

    [Fact]
    public void Flaskr_plans_its_start_script_writable_folders_and_health_check_as_docker_holds_them()
    {
        ImagePlan plan = ImagePlan.FromJson(DockerfileGenerator.Generate(PythonAppResolver.Resolve(Flaskr())).ImagePlan!);

        Assert.Equal([new PlannedFile("pycontainer/entrypoint.sh", "/opt/pycontainer/entrypoint.sh", false), new PlannedFile("app/", "/srv/flaskr/", false)], plan.Files);
        Assert.Equal(["sh", "/opt/pycontainer/entrypoint.sh"], plan.Entrypoint);
        Assert.Equal(["/srv/flaskr/instance", "/var/lib/flaskr"], plan.WritableDirectories);
        Assert.Equal(["/srv/flaskr/instance"], plan.Volumes);
        PlannedHealthCheck check = plan.HealthCheck!;
        Assert.Equal(["CMD", "python3", "-c"], check.Test.Take(3));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), 3), (check.Interval!.Value, check.Timeout!.Value, check.StartPeriod!.Value, check.Retries!.Value));
        // A variable the project sets again keeps its place, as Docker's ENV does; both are listed in order.
        Assert.Equal(["PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "VIRTUAL_ENV", "PORT", "PYTHONPATH", "APP_MODE", "PYTHONUNBUFFERED"], plan.Environment.Select(v => v.Name));
    }

    [Fact]
    public void The_plan_round_trips_through_its_json_byte_for_byte()
    {
        string json = DockerfileGenerator.Generate(PythonAppResolver.Resolve(Flaskr())).ImagePlan!;

        Assert.Equal(json, ImagePlan.FromJson(json).ToJson());
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_plan_is_an_error_that_says_to_generate_it_again()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImagePlan.FromJson("{\"baseImage\": 1"));
        Assert.Contains("ContainerDockerfile", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ImagePlan.FromJson("{}"));
    }

    [Fact]
    public void The_python_version_and_libc_the_project_set_reach_the_plan()
    {
        ImagePlan plan = ImagePlan.FromJson(DockerfileGenerator.Generate(PythonAppResolver.Resolve(Flask() with
        {
            PythonVersion = "3.11",
            ContainerBaseImage = "localhost:5000/pycontainer-test/python:3.11-bookworm",
            ContainerBaseImageLibc = "GLIBC",
        })).ImagePlan!);

        Assert.Equal("3.11", plan.PythonVersion);
        Assert.Equal("glibc", plan.Libc);
        Assert.Equal("localhost:5000/pycontainer-test/python:3.11-bookworm", plan.BaseImage);
    }

    [Fact]
    public void The_dockerfile_mode_writes_no_plan_and_the_same_dockerfile()
    {
        GeneratedContext daemonless = DockerfileGenerator.Generate(PythonAppResolver.Resolve(Flaskr()));
        PythonApp app = PythonAppResolver.Resolve(Flaskr() with { ContainerBuildMode = "dockerfile" });
        GeneratedContext dockerfile = DockerfileGenerator.Generate(app);

        Assert.Null(dockerfile.ImagePlan);
        Assert.Null(app.LockFile);
        Assert.DoesNotContain(dockerfile.Files, f => f.Key == ImagePlan.ContextPath);
        Assert.Contains(daemonless.Files, f => f.Key == ImagePlan.ContextPath);
        Assert.Equal(dockerfile.Dockerfile, daemonless.Dockerfile);
    }

    private static List<Instruction> RunnerStage(string dockerfile)
    {
        List<Instruction> all = DockerfileText.Parse(dockerfile);
        int from = all.FindIndex(i => i.Keyword == "FROM" && i.Arguments.EndsWith(" AS runner", StringComparison.Ordinal));
        int end = all.FindIndex(from + 1, i => i.Keyword == "FROM");
        return all.GetRange(from, (end < 0 ? all.Count : end) - from);
    }

    private static string Single(List<Instruction> stage, string keyword) => Assert.Single(stage, i => i.Keyword == keyword).Arguments;

    private static void AssertHealthCheck(PlannedHealthCheck? check, Instruction? instruction)
    {
        if (check is null)
        {
            Assert.Null(instruction);
            return;
        }

        string arguments = Assert.IsType<Instruction>(instruction).Arguments;
        int command = arguments.IndexOf(" CMD ", StringComparison.Ordinal);
        Assert.Equal(
            $"--interval={check.Interval!.Value.TotalSeconds}s --timeout={check.Timeout!.Value.TotalSeconds}s --start-period={check.StartPeriod!.Value.TotalSeconds}s --retries={check.Retries}",
            arguments[..command]);
        Assert.Equal("CMD", check.Test[0]);
        Assert.Equal(check.Test.Skip(1), DockerfileText.DecodeExecForm(arguments[(command + 5)..]));
    }
}
