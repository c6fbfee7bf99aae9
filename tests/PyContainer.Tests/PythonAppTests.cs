using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class PythonAppTests : IDisposable
{
    private readonly TestProject _project = new();

    /// <summary>The smallest app: one script, no requirements; tests vary it with `with { ... }`.</summary>
    private PythonAppSettings ScriptSettings() => TargetDefaults.Settings with
    {
        ProjectDirectory = _project.Directory,
        ProjectName = "tool",
        Files = [_project.Source("main.py")],
        PythonScript = "main.py",
    };

    public void Dispose() => _project.Dispose();

    private PythonAppSettings Script(string script = "main.py") => TargetDefaults.Settings with
    {
        ProjectDirectory = _project.Directory,
        ProjectName = "tool",
        Files = [_project.Source("main.py")],
        PythonScript = script,
    };

    [Fact]
    public void Defaults_for_a_wsgi_app()
    {
        PythonApp app = PythonAppResolver.Resolve(_project.FlaskSettings());

        Assert.Equal("python:3.12-slim", app.RunnerImage.ToString());
        Assert.Equal("python:3.12", app.BuilderImage.ToString());
        Assert.Equal("10001", app.User);
        Assert.Equal("/app", app.WorkingDirectory);
        Assert.Equal([new ContainerPort(8000, "tcp")], app.Ports);
        Assert.Equal(EntryPointKind.Wsgi, app.EntryPoint.Kind);
        Assert.Equal("app:app", app.EntryPoint.Value);
        Assert.Equal(["flask==3.0.3", "gunicorn==23.0.0"], app.Requirements);
        Assert.Equal([new AppFile(_project.PathOf("app.py"), "app.py")], app.Files);
        Assert.Empty(app.EnvironmentVariables);
        Assert.Empty(app.Labels);
        Assert.Empty(app.BuildPackages);
        Assert.Empty(app.RuntimePackages);
        Assert.Null(app.PackageIndexUrl);
        Assert.Null(app.ExtraPackageIndexUrl);
        Assert.Equal("PyContainer", app.Generator);
        Assert.Equal("flask-hello", app.ProjectName);
    }

    [Fact]
    public void Script_app_exposes_no_port_by_default()
    {
        PythonApp app = PythonAppResolver.Resolve(Script());

        Assert.Empty(app.Ports);
        Assert.Equal(EntryPointKind.Script, app.EntryPoint.Kind);
        Assert.Empty(app.Requirements);
    }

    [Fact]
    public void PythonVersion_picks_the_default_images()
    {
        PythonApp app = PythonAppResolver.Resolve(ScriptSettings() with
        {
            PythonVersion = " 3.11 ",
        });

        Assert.Equal("python:3.11-slim", app.RunnerImage.ToString());
        Assert.Equal("python:3.11", app.BuilderImage.ToString());
    }

    [Theory]
    [InlineData("python:3.11-slim", "python:3.11")]
    [InlineData("python:3.11-slim-bookworm", "python:3.11-bookworm")]
    [InlineData("python:3.12-alpine", "python:3.12-alpine")]
    [InlineData("registry.example.com/base/python:3.12", "registry.example.com/base/python:3.12")]
    [InlineData("localhost:5000/python:3.12-slim", "localhost:5000/python:3.12")]
    [InlineData("python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void ContainerBaseImage_sets_the_runner_and_the_default_builder(string baseImage, string builder)
    {
        PythonApp app = PythonAppResolver.Resolve(ScriptSettings() with
        {
            ContainerBaseImage = baseImage,
        });

        Assert.Equal(baseImage, app.RunnerImage.ToString());
        Assert.Equal(builder, app.BuilderImage.ToString());
    }

    [Fact]
    public void ContainerBuilderImage_overrides_the_builder()
    {
        PythonApp app = PythonAppResolver.Resolve(ScriptSettings() with
        {
            ContainerBuilderImage = "registry.example.com/builders/python:3.12",
        });

        Assert.Equal("python:3.12-slim", app.RunnerImage.ToString());
        Assert.Equal("registry.example.com/builders/python:3.12", app.BuilderImage.ToString());
    }

    [Fact]
    public void Bad_images_and_versions_name_their_property()
    {
        PyContainerException runner = Coded.Throws(Errors.InvalidImageReference, () => PythonAppResolver.Resolve(ScriptSettings() with
        {
            ContainerBaseImage = "Python:3.12",
        }));
        PyContainerException builder = Coded.Throws(Errors.InvalidImageReference, () => PythonAppResolver.Resolve(ScriptSettings() with
        {
            ContainerBuilderImage = "python:bad tag",
        }));
        PyContainerException version = Coded.Throws(Errors.InvalidPythonVersion, () => PythonAppResolver.Resolve(ScriptSettings() with
        {
            PythonVersion = "3.12 beta",
        }));

        Assert.Contains("ContainerBaseImage", runner.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerBuilderImage", builder.Message, StringComparison.Ordinal);
        Assert.Contains("PythonVersion", version.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_point_kinds()
    {
        _project.Source("pkg/__init__.py");
        _project.Source("pkg/__main__.py");

        PythonApp module = PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            PythonModule = " pkg ",
        });
        PythonApp command = PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            ContainerAppCommand = ["uvicorn", "app:app", "--host", "0.0.0.0"],
        });

        Assert.Equal("pkg", module.EntryPoint.Value);
        Assert.Equal(EntryPointKind.Module, module.EntryPoint.Kind);
        Assert.Equal(["uvicorn", "app:app", "--host", "0.0.0.0"], command.EntryPoint.Arguments);
        Assert.Equal(EntryPointKind.Command, command.EntryPoint.Kind);
    }

    [Fact]
    public void No_entry_point_is_PYC1002()
    {
        Coded.Throws(Errors.NoEntryPoint, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [_project.Source("main.py")],
            PythonWsgiApp = "  ",
        }));
    }

    [Fact]
    public void Two_entry_points_are_PYC1003_naming_both()
    {
        PyContainerException e = Coded.Throws(Errors.ConflictingEntryPoints, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [_project.Source("main.py")],
            PythonWsgiApp = "main:app",
            PythonScript = "main.py",
        }));

        Assert.Contains("PythonWsgiApp", e.Message, StringComparison.Ordinal);
        Assert.Contains("PythonScript", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_source_is_PYC1004()
    {
        PyContainerException e = Coded.Throws(Errors.SourceFileMissing, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [new InputFile("PythonContent", "templates/missing.html")],
            PythonWsgiApp = "app:app",
        }));

        Assert.Contains("PythonContent", e.Message, StringComparison.Ordinal);
        Assert.Contains("templates/missing.html", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_outside_the_project_is_PYC1005()
    {
        using var elsewhere = new TestProject();
        string outside = elsewhere.Write("shared.py", "x = 1\n");

        PyContainerException e = Coded.Throws(Errors.SourceOutsideProject, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [new InputFile("PythonSource", outside)],
            PythonWsgiApp = "app:app",
        }));

        Assert.Contains(outside, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_outside_the_project_with_a_Link_goes_in_under_that_path()
    {
        using var elsewhere = new TestProject();
        string outside = elsewhere.Write("shared.py", "x = 1\n");

        PythonApp app = PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [new InputFile("PythonSource", outside, "lib\\shared.py")],
            PythonWsgiApp = "app:app",
        });

        Assert.Equal([new AppFile(outside, "lib/shared.py")], app.Files);
    }

    [Theory]
    [InlineData("../escape.py")]
    [InlineData("lib/../../escape.py")]
    [InlineData("./x.py")]
    [InlineData("lib//x.py")]
    [InlineData("x\n.py")]
    public void Link_leaving_the_app_folder_is_PYC1005(string link)
    {
        string source = _project.Write("x.py", "");

        PyContainerException e = Coded.Throws(Errors.SourceOutsideProject, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [new InputFile("PythonSource", source, link)],
            PythonWsgiApp = "app:app",
        }));

        Assert.Contains("lies outside the project folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Link_with_a_leading_slash_names_a_path_inside_the_app_so_it_is_not_refused()
    {
        string source = _project.Write("x.py", "");

        List<AppFile> files = AppFileResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [new InputFile("PythonSource", source, "/x.py")],
            PythonWsgiApp = "app:app",
        });

        Assert.Equal("x.py", Assert.Single(files).AppPath);
    }

    [Fact]
    public void Files_are_sorted_and_the_same_file_twice_is_kept_once()
    {
        InputFile b = _project.Source("b.py");
        InputFile a = _project.Source("pkg/a.py");

        PythonApp app = PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [b, a, new InputFile("PythonContent", "b.py")],
            PythonScript = "b.py",
        });

        Assert.Equal(["b.py", "pkg/a.py"], app.Files.Select(f => f.AppPath));
    }

    [Fact]
    public void Two_files_on_one_context_path_are_PYC1018()
    {
        InputFile first = _project.Source("app.py");
        string other = _project.Write("other/app.py", "");

        PyContainerException e = Coded.Throws(Errors.DuplicateContextPath, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [first, new InputFile("PythonContent", other, "app.py")],
            PythonWsgiApp = "app:app",
        }));

        Assert.Contains("'app.py'", e.Message, StringComparison.Ordinal);
        Assert.Contains(other, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8080", "", 8080, "tcp")]
    [InlineData(" 53 ", "UDP", 53, "udp")]
    [InlineData("65535", "tcp", 65535, "tcp")]
    public void Ports_are_parsed(string number, string type, int expectedNumber, string expectedType)
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.ContainerPort.Add(new NamedValue(number, type));

        Assert.Equal([new ContainerPort(expectedNumber, expectedType)], PythonAppResolver.Resolve(settings).Ports);
    }

    [Theory]
    [InlineData("http", "")]
    [InlineData("0", "")]
    [InlineData("70000", "")]
    [InlineData("-1", "")]
    [InlineData("8080", "sctp")]
    [InlineData("8080/tcp", "")]
    public void Bad_port_is_PYC1008(string number, string type)
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.ContainerPort.Add(new NamedValue(number, type));

        PyContainerException e = Coded.Throws(Errors.InvalidPort, () => PythonAppResolver.Resolve(settings));

        Assert.Contains($"'{number}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Use a number from 1 to 65535 and Type 'tcp' or 'udp'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1FOO", "x")]
    [InlineData("FOO-BAR", "x")]
    [InlineData("", "x")]
    [InlineData("FOO BAR", "x")]
    [InlineData("FOO", "line\nbreak")]
    [InlineData("FOO", "tab\tinside")]
    public void Bad_environment_variable_is_PYC1009(string name, string value)
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.ContainerEnvironmentVariable.Add(new NamedValue(name, value));

        Coded.Throws(Errors.InvalidEnvironmentVariable, () => PythonAppResolver.Resolve(settings));
    }

    [Theory]
    [InlineData("Com.Example.Team", "x")]
    [InlineData("com.example_team", "x")]
    [InlineData("", "x")]
    [InlineData("com.example", "two\nlines")]
    public void Bad_label_is_PYC1010(string key, string value)
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.ContainerLabel.Add(new NamedValue(key, value));

        Coded.Throws(Errors.InvalidLabel, () => PythonAppResolver.Resolve(settings));
    }

    [Fact]
    public void Environment_variables_and_labels_keep_their_values()
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.ContainerEnvironmentVariable.Add(new NamedValue("GREETING", "Hello \"world\" $HOME"));
        settings.ContainerLabel.Add(new NamedValue("org.opencontainers.image.title", "flask hello"));

        PythonApp app = PythonAppResolver.Resolve(settings);

        Assert.Equal([new NamedValue("GREETING", "Hello \"world\" $HOME")], app.EnvironmentVariables);
        Assert.Equal([new NamedValue("org.opencontainers.image.title", "flask hello")], app.Labels);
    }

    [Theory]
    [InlineData("root user")]
    [InlineData("-1")]
    [InlineData("a:b:c")]
    [InlineData("app:")]
    [InlineData("$(id)")]
    public void Bad_user_is_PYC1011(string user)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidUser, () => PythonAppResolver.Resolve(ScriptSettings() with
        {
            ContainerUser = user,
        }));

        Assert.Contains("is not valid: use a user name or a numeric uid", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app")]
    [InlineData("/")]
    [InlineData("/app/../etc")]
    [InlineData("/my app")]
    [InlineData("/app$HOME")]
    [InlineData("C:\\app")]
    public void Bad_working_directory_is_PYC1012(string directory)
    {
        Coded.Throws(Errors.InvalidWorkingDirectory, () => PythonAppResolver.Resolve(ScriptSettings() with
        {
            ContainerWorkingDirectory = directory,
        }));
    }

    /// <summary>Constant defaults are the targets' alone: an empty value reaching the core is an error, not a default.</summary>
    [Fact]
    public void Settings_the_targets_default_have_no_default_in_the_core()
    {
        Coded.Throws(Errors.UnknownInstallStrategy, () => PythonAppResolver.Resolve(ScriptSettings() with { PythonInstallStrategy = "" }));
        Coded.Throws(Errors.InvalidUser, () => PythonAppResolver.Resolve(ScriptSettings() with { ContainerUser = "" }));
        Coded.Throws(Errors.InvalidWorkingDirectory, () => PythonAppResolver.Resolve(ScriptSettings() with { ContainerWorkingDirectory = " " }));
        Coded.Throws(Errors.InvalidPropertyValue, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "svc",
            Files = [_project.Source("app.py", TestProject.FlaskApp)],
            PythonWsgiApp = "app:app",
            PythonWsgiServer = "",
        }));
    }

    [Theory]
    [InlineData("app", "/app")]
    [InlineData(" 1000:1000 ", " /srv/app/ ")]
    public void User_and_working_directory_are_trimmed(string user, string directory)
    {
        PythonApp app = PythonAppResolver.Resolve(ScriptSettings() with
        {
            ContainerUser = user,
            ContainerWorkingDirectory = directory,
        });

        Assert.Equal(user.Trim(), app.User);
        Assert.Equal(directory.Trim().TrimEnd('/'), app.WorkingDirectory);
    }

    [Theory]
    [InlineData("Curl")]
    [InlineData("curl;id")]
    [InlineData("-y")]
    [InlineData("lib pq")]
    [InlineData("")]
    public void Bad_os_package_is_PYC1014_naming_the_item(string package)
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.ContainerRuntimePackage.Add(package);

        PyContainerException e = Coded.Throws(Errors.InvalidOsPackage, () => PythonAppResolver.Resolve(settings));

        Assert.Contains("ContainerRuntimePackage", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not a valid OS package name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Os_packages_keep_their_order_without_duplicates()
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.ContainerBuildPackage.Add("libpq-dev");
        settings.ContainerBuildPackage.Add("gcc");
        settings.ContainerBuildPackage.Add("libpq-dev");
        settings.ContainerRuntimePackage.Add("libpq5");

        PythonApp app = PythonAppResolver.Resolve(settings);

        Assert.Equal(["libpq-dev", "gcc"], app.BuildPackages);
        Assert.Equal(["libpq5"], app.RuntimePackages);
    }

    [Theory]
    [InlineData("app")]
    [InlineData("app:")]
    [InlineData(":app")]
    [InlineData("my-app:app")]
    [InlineData("app:create_app(debug=True)")]
    public void Bad_wsgi_app_is_PYC1015(string wsgi)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidPropertyValue, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [_project.Source("app.py")],
            PythonWsgiApp = wsgi,
        }));

        Assert.Contains("PythonWsgiApp", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mypkg.wsgi:application")]
    [InlineData("app:create_app()")]
    public void Good_wsgi_apps_are_accepted(string wsgi)
    {
        PythonApp app = PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            PythonWsgiApp = wsgi,
        });

        Assert.Equal(wsgi, app.EntryPoint.Value);
    }

    [Theory]
    [InlineData("other.py")]
    [InlineData("/main.py")]
    [InlineData("../main.py")]
    public void Script_not_among_the_sources_is_PYC1015(string script)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidPropertyValue, () => PythonAppResolver.Resolve(Script(script)));

        Assert.Contains("PythonScript", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_path_with_backslashes_matches_its_source()
    {
        PythonApp app = PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            Files = [_project.Source("bin/run.py")],
            PythonScript = "bin\\run.py",
        });

        Assert.Equal("bin/run.py", app.EntryPoint.Value);
    }

    [Theory]
    [InlineData("my-pkg")]
    [InlineData("pkg.")]
    [InlineData("1pkg")]
    public void Bad_module_is_PYC1015(string module)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidPropertyValue, () => PythonAppResolver.Resolve(TargetDefaults.Settings with
        {
            ProjectDirectory = _project.Directory,
            ProjectName = "tool",
            PythonModule = module,
        }));

        Assert.Contains("PythonModule", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://pypi.example.com/simple")]
    [InlineData("pypi.example.com/simple")]
    [InlineData("https://pypi.example.com/my index")]
    [InlineData("file:///wheels")]
    public void Bad_index_url_is_PYC1017_naming_the_property(string url)
    {
        PyContainerException index = Coded.Throws(Errors.InvalidIndexUrl, () => PythonAppResolver.Resolve(ScriptSettings() with
        {
            PythonPackageIndexUrl = url,
        }));
        PyContainerException extra = Coded.Throws(Errors.InvalidIndexUrl, () => PythonAppResolver.Resolve(ScriptSettings() with
        {
            PythonExtraPackageIndexUrl = url,
        }));

        Assert.Contains("PythonPackageIndexUrl", index.Message, StringComparison.Ordinal);
        Assert.Contains("is not a valid URL: use an absolute http or https URL", index.Message, StringComparison.Ordinal);
        Assert.Contains("PythonExtraPackageIndexUrl", extra.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_urls_are_kept()
    {
        PythonApp app = PythonAppResolver.Resolve(ScriptSettings() with
        {
            PythonPackageIndexUrl = " https://user:secret@pypi.example.com/simple ",
            PythonExtraPackageIndexUrl = "http://localhost:8081/simple",
        });

        Assert.Equal("https://user:secret@pypi.example.com/simple", app.PackageIndexUrl);
        Assert.Equal("http://localhost:8081/simple", app.ExtraPackageIndexUrl);
    }

    [Fact]
    public void Requirements_file_option_error_surfaces_from_Create()
    {
        PythonAppSettings settings = _project.FlaskSettings();
        settings.PythonRequirementsFile.Add(_project.Write("more.txt", "--index-url https://x.example.com\n"));

        Coded.Throws(Errors.UnsupportedRequirementOption, () => PythonAppResolver.Resolve(settings));
    }
}
