using PyContainer.Context;
using PyContainer.Daemonless;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Daemonless;

/// <summary>
/// ContainerBuildMode and the daemonless mode's checks at context generation: what needs a RUN step (PYC1051), which
/// lock file (PYC1052, PYC1053), and the lock's place in the build context.
/// </summary>
public sealed class DaemonlessValidationTests : IDisposable
{
    private const string Hashed = "flask==3.0.3 \\\n    --hash=sha256:34e7f8a3c1a4ec1b8b7ad4e5f3f1e6b1c2d9a0b7c6e5d4f3a2b1c0d9e8f7a6b5\n";

    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    private PythonAppSettings Daemonless() => _project.FlaskSettings() with { ContainerBuildMode = "Daemonless" };

    [Theory]
    [InlineData("Dockerfile", ContainerBuildMode.Dockerfile)]
    [InlineData("DAEMONLESS", ContainerBuildMode.Daemonless)]
    [InlineData(" daemonless ", ContainerBuildMode.Daemonless)]
    [InlineData("", ContainerBuildMode.Dockerfile)]
    public void The_build_mode_is_read_case_insensitively(string value, ContainerBuildMode mode)
    {
        _project.Write("pylock.toml", "lock-version = \"1.0\"\n");
        Assert.Equal(mode, PythonAppResolver.Resolve(_project.FlaskSettings() with { ContainerBuildMode = value }).BuildMode);
    }

    [Theory]
    [InlineData("ContainerBuildMode", "engine")]
    [InlineData("ContainerBaseImageLibc", "uclibc")]
    public void An_unknown_build_mode_or_libc_is_PYC1015_naming_the_property(string property, string value)
    {
        PythonAppSettings settings = property == "ContainerBuildMode"
            ? _project.FlaskSettings() with { ContainerBuildMode = value }
            : _project.FlaskSettings() with { ContainerBaseImageLibc = value };

        var error = Coded.Throws(Errors.InvalidPropertyValue, () => PythonAppResolver.Resolve(settings));
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> RunSteps => new()
    {
        { "runtime package", "ContainerRuntimePackage items (libpq5)" },
        { "build package", "ContainerBuildPackage items (libpq-dev)" },
        { "pex", "PythonInstallStrategy=pex" },
        { "project", "PythonProjectDirectory" },
        { "collectstatic", "PythonDjangoCollectStatic=true" },
        { "user name", "ContainerUser 'app'" },
    };

    [Theory]
    [MemberData(nameof(RunSteps))]
    public void What_needs_a_RUN_step_is_PYC1051_naming_it_and_the_Dockerfile_mode(string what, string named)
    {
        _project.Write("requirements.lock.txt", Hashed);
        PythonAppSettings settings = what switch
        {
            "runtime package" => Daemonless() with { ContainerRuntimePackage = ["libpq5"] },
            "build package" => Daemonless() with { ContainerBuildPackage = ["libpq-dev"] },
            "pex" => Daemonless() with { PythonInstallStrategy = "pex", PythonProjectDirectory = ".", Files = [_project.Source("app.py", TestProject.FlaskApp), new("PythonContent", _project.Write("pyproject.toml", "[project]\nname = \"app\"\nversion = \"1\"\n"))] },
            "project" => Daemonless() with { PythonProjectDirectory = ".", Files = [_project.Source("app.py", TestProject.FlaskApp), new("PythonContent", _project.Write("pyproject.toml", "[project]\nname = \"app\"\nversion = \"1\"\n"))] },
            "collectstatic" => Daemonless() with { PythonWsgiApp = null, Files = [_project.Source("manage.py", "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n")], PythonDjangoCollectStatic = true },
            "user name" => Daemonless() with { ContainerUser = "app", ContainerWritableDirectory = [new("instance")] },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var error = Coded.Throws(Errors.DaemonlessNeedsRun, () => PythonAppResolver.Resolve(settings));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerBuildMode=Dockerfile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_RUN_need_is_named_in_one_error_and_the_dockerfile_mode_has_none()
    {
        PythonAppSettings settings = Daemonless() with { ContainerRuntimePackage = ["libpq5"], ContainerUser = "app:app", ContainerWritableDirectory = [new("instance")] };

        var error = Coded.Throws(Errors.DaemonlessNeedsRun, () => PythonAppResolver.Resolve(settings));
        Assert.Contains("libpq5", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerUser 'app:app'", error.Message, StringComparison.Ordinal);
        Assert.Equal(ContainerBuildMode.Dockerfile, PythonAppResolver.Resolve(settings with { ContainerBuildMode = "Dockerfile" }).BuildMode);
    }

    [Fact]
    public void A_numeric_user_with_writable_folders_needs_no_RUN_step()
    {
        _project.Write("pylock.toml", "lock-version = \"1.0\"\n");
        PythonApp app = PythonAppResolver.Resolve(Daemonless() with { ContainerUser = "10001:10001", ContainerWritableDirectory = [new("instance")] });
        Assert.Equal(ContainerBuildMode.Daemonless, app.BuildMode);
    }

    [Fact]
    public void Requirements_without_a_lock_are_PYC1052_naming_PythonLockFile_and_how_to_make_one()
    {
        var error = Coded.Throws(Errors.LockFileMissing, () => PythonAppResolver.Resolve(Daemonless()));
        Assert.Contains("PythonLockFile", error.Message, StringComparison.Ordinal);
        Assert.Contains("pip-compile --generate-hashes", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 requirement lines", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PythonLockFile_that_does_not_exist_is_PYC1052_naming_it()
    {
        var error = Coded.Throws(Errors.LockFileMissing, () => PythonAppResolver.Resolve(Daemonless() with { PythonLockFile = "locks/prod.txt" }));
        Assert.Contains("PythonLockFile 'locks/prod.txt' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_lock_files_without_PythonLockFile_are_PYC1053_listing_them()
    {
        _project.Write("pylock.dev.toml", "lock-version = \"1.0\"\n");
        _project.Write("requirements.lock.txt", Hashed);
        _project.Write("notes.txt", "no hashes here\n");

        var error = Coded.Throws(Errors.LockFileAmbiguous, () => PythonAppResolver.Resolve(Daemonless()));
        Assert.Contains("pylock.dev.toml, requirements.lock.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("PythonLockFile", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("notes.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lock_is_PythonLockFile_else_pylock_toml_else_the_one_hashed_requirements_file()
    {
        string hashed = _project.Write("requirements.lock.txt", Hashed);
        Assert.Equal(hashed, PythonAppResolver.Resolve(Daemonless()).LockFile);

        string pylock = _project.Write("pylock.toml", "lock-version = \"1.0\"\n");
        Assert.Equal(pylock, PythonAppResolver.Resolve(Daemonless()).LockFile);

        string named = _project.Write("locks/prod.txt", Hashed);
        Assert.Equal(named, PythonAppResolver.Resolve(Daemonless() with { PythonLockFile = "locks/prod.txt" }).LockFile);
    }

    [Fact]
    public void A_pip_compile_requirements_file_with_hashes_is_its_own_lock()
    {
        PythonAppSettings settings = Daemonless();
        string requirements = _project.Write("requirements.txt", Hashed);
        Assert.Equal(requirements, PythonAppResolver.Resolve(settings).LockFile);
    }

    [Fact]
    public void An_app_without_requirements_needs_no_lock()
    {
        PythonApp app = PythonAppResolver.Resolve(Daemonless() with { PythonRequirementsFile = [] });
        Assert.Null(app.LockFile);
        Assert.Null(ImagePlan.FromJson(DockerfileGenerator.Generate(app).ImagePlan!).LockFile);
    }

    [Fact]
    public void The_lock_goes_into_the_context_and_a_change_to_it_changes_the_contexts_digest()
    {
        string lockFile = _project.Write("pylock.toml", "lock-version = \"1.0\"\n");
        PythonApp app = PythonAppResolver.Resolve(Daemonless());
        BuildContext context = BuildContext.For(app, DockerfileGenerator.Generate(app));
        string before = context.ComputeDigest();

        Assert.Contains("pycontainer/lock/pylock.toml", context.Paths);
        Assert.Contains(ImagePlan.ContextPath, context.Paths);
        Assert.Equal("pycontainer/lock/pylock.toml", ImagePlan.FromJson(context.ReadText(ImagePlan.ContextPath)).LockFile);
        File.WriteAllText(lockFile, "lock-version = \"1.0\"\n# changed\n");
        Assert.NotEqual(before, context.ComputeDigest());
    }

    [Fact]
    public void The_dockerfile_mode_ignores_the_lock()
    {
        _project.Write("pylock.toml", "lock-version = \"1.0\"\n");
        PythonApp app = PythonAppResolver.Resolve(_project.FlaskSettings() with { PythonLockFile = "pylock.toml" });
        BuildContext context = BuildContext.For(app, DockerfileGenerator.Generate(app));

        Assert.Null(app.LockFile);
        Assert.DoesNotContain(context.Paths, p => p.StartsWith("pycontainer/lock/", StringComparison.Ordinal));
    }
}
