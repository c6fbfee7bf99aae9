using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>Which of a project's files go into the image by default, and the reason the context list gives.</summary>
public sealed class ContentSelectorTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    /// <summary>The Flask tutorial's app (flaskr) as a real tree has it, with everything around it that must stay out.</summary>
    private void WriteFlaskr()
    {
        foreach (string path in new[]
        {
            "flaskr/__init__.py", "flaskr/db.py", "flaskr/schema.sql", "flaskr/templates/base.html", "flaskr/templates/auth/login.html",
            "flaskr/static/style.css", "requirements.txt", "pyproject.toml", "README.rst", "LICENSE.txt", "MANIFEST.in", ".gitignore",
            "instance/.gitkeep",
            "tests/conftest.py", "tests/test_db.py", "flaskr/tests/test_inner.py", ".git/config", ".git/objects/ab/cdef", ".venv/bin/python",
            "myenv/pyvenv.cfg", "myenv/lib/python3.11/site-packages/flask/__init__.py", "flaskr/__pycache__/db.cpython-311.pyc",
            "helper.pyc", ".pytest_cache/v/cache/nodeids", ".mypy_cache/3.11/x.json", ".tox/py311/x", "bin/Debug/x.dll",
            "obj/container/Dockerfile", "node_modules/left-pad/index.js", ".env", ".env.production", "certs/server.pem",
            "certs/server.key", "id_rsa", "id_ed25519.pub", ".netrc", ".pypirc", "Flaskr.msbuildproj", "Directory.Build.props",
            "NuGet.config", "PyContainer.Before.props", "Dockerfile", "docker-compose.yml", ".idea/workspace.xml", "dist/flaskr-1.0.tar.gz",
            "flaskr.egg-info/PKG-INFO",
        })
        {
            _project.Write(path, "x");
        }
    }

    private ContentSelection Select(IList<InputFile>? explicitFiles = null, IList<string>? extraExcludes = null, bool defaults = true) =>
        ContentSelector.Select(new ContentOptions
        {
            ProjectDirectory = _project.Directory,
            EnableDefaultPythonContentItems = defaults,
            ExplicitFiles = explicitFiles ?? [],
            DefaultPythonItemExcludes = extraExcludes ?? [],
        });

    private static List<string> In(ContentSelection selection) => selection.Decisions.Where(d => d.In).Select(d => d.AppPath).ToList();

    private static string Reason(ContentSelection selection, string path) => selection.Decisions.Single(d => d.AppPath == path).Reason;

    [Fact]
    public void Every_file_the_app_needs_goes_in_and_nothing_that_never_belongs_in_an_image()
    {
        WriteFlaskr();

        ContentSelection selection = Select();

        Assert.Equal(
        [
            ".gitignore", "LICENSE.txt", "MANIFEST.in", "README.rst", "dist/flaskr-1.0.tar.gz", "flaskr/__init__.py", "flaskr/db.py",
            "flaskr/schema.sql", "flaskr/static/style.css", "flaskr/templates/auth/login.html", "flaskr/templates/base.html",
            "instance/.gitkeep", "pyproject.toml", "requirements.txt",
        ],
            In(selection));
        Assert.Equal(In(selection).Count, selection.Count);
        Assert.Equal(In(selection).Count, selection.TotalSize);
        Assert.Empty(selection.Warnings);
    }

    [Theory]
    [InlineData(".git/", "version control '**/.git'")]
    [InlineData(".venv/", "virtual environment '**/.venv'")]
    [InlineData("myenv/", "virtual environment (the folder has a pyvenv.cfg)")]
    [InlineData("flaskr/__pycache__/", "cache '**/__pycache__'")]
    [InlineData("helper.pyc", "cache '**/*.pyc'")]
    [InlineData("bin/", "build output 'bin'")]
    [InlineData("obj/", "build output 'obj'")]
    [InlineData("node_modules/", "build output '**/node_modules'")]
    [InlineData("flaskr.egg-info/", "build output '**/*.egg-info'")]
    [InlineData("tests/", "tests '**/tests'")]
    [InlineData("flaskr/tests/", "tests '**/tests'")]
    [InlineData(".env", "secret '**/.env'")]
    [InlineData(".env.production", "secret '**/.env.*'")]
    [InlineData("certs/server.key", "secret '**/*.key'")]
    [InlineData("id_rsa", "secret '**/id_rsa*'")]
    [InlineData(".pypirc", "secret '**/.pypirc'")]
    [InlineData("Flaskr.msbuildproj", "project file '**/*.msbuildproj'")]
    [InlineData("NuGet.config", "project file")]
    [InlineData("PyContainer.Before.props", "project file")]
    [InlineData("Dockerfile", "Docker file '**/Dockerfile'")]
    [InlineData("docker-compose.yml", "Docker file")]
    public void What_stays_out_says_which_built_in_rule_left_it_out(string path, string rule)
    {
        WriteFlaskr();

        ContentDecision decision = Select().Decisions.Single(d => d.AppPath == path);

        Assert.False(decision.In);
        Assert.Contains(rule, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_projects_dockerignore_excludes_with_docker_semantics_and_bang_re_includes()
    {
        WriteFlaskr();
        _project.Write("docs/index.md", "x");
        _project.Write("docs/api.md", "x");
        _project.Write("data/big.csv", "x");
        _project.Write("data/seed.csv", "x");
        _project.Write(".dockerignore", "# docs are built elsewhere\ndocs\n*.md\ndata/*.csv\n!data/seed.csv\nLICENSE.txt\n");

        ContentSelection selection = Select();

        Assert.DoesNotContain("docs/index.md", In(selection));
        Assert.Equal(".dockerignore line 2 'docs'", Reason(selection, "docs/"));
        Assert.Equal(".dockerignore line 4 'data/*.csv'", Reason(selection, "data/big.csv"));
        Assert.Contains("data/seed.csv", In(selection));
        Assert.Contains("re-included by .dockerignore line 5 '!data/seed.csv'", Reason(selection, "data/seed.csv"), StringComparison.Ordinal);
        Assert.DoesNotContain("LICENSE.txt", In(selection));
        Assert.Contains("flaskr/schema.sql", In(selection));
    }

    [Fact]
    public void A_bang_line_reaches_into_an_excluded_folder()
    {
        _project.Write("app.py", "x");
        _project.Write("docs/keep.txt", "x");
        _project.Write("docs/drop.txt", "x");
        _project.Write(".dockerignore", "docs\n!docs/keep.txt\n");

        Assert.Equal(["app.py", "docs/keep.txt"], In(Select()));
    }

    [Fact]
    public void A_dockerignore_cannot_re_include_what_never_belongs_in_an_image()
    {
        _project.Write("app.py", "x");
        _project.Write(".env", "SECRET=1");
        _project.Write(".dockerignore", "!.env\n");

        Assert.Equal(["app.py"], In(Select()));
    }

    [Fact]
    public void An_explicit_item_adds_back_anything_excluded_and_says_what_it_overrides()
    {
        WriteFlaskr();
        _project.Write(".dockerignore", "flaskr/schema.sql\n");
        string fixture = _project.Write("tests/fixtures/data.json", "{}");

        ContentSelection selection = Select(
        [
            new InputFile("PythonContent", fixture),
            new InputFile("PythonContent", "flaskr/schema.sql"),
            new InputFile("PythonContent", ".env.production"),
        ]);

        Assert.Contains("tests/fixtures/data.json", In(selection));
        Assert.Contains("flaskr/schema.sql", In(selection));
        Assert.Contains(".env.production", In(selection));
        Assert.Equal("PythonContent item, which adds back what .dockerignore line 1 'flaskr/schema.sql' leaves out", Reason(selection, "flaskr/schema.sql"));
        Assert.Contains("adds back what built-in exclusion of secret '**/.env.*'", Reason(selection, ".env.production"), StringComparison.Ordinal);
        Assert.Equal("tests/", selection.Decisions.Single(d => !d.In && d.AppPath.StartsWith("tests", StringComparison.Ordinal)).AppPath);
        Assert.Single(selection.Files, f => f.Path.EndsWith("schema.sql", StringComparison.Ordinal));
    }

    [Fact]
    public void EnableDefaultPythonItems_false_leaves_only_the_explicit_items()
    {
        WriteFlaskr();

        ContentSelection selection = Select([new InputFile("PythonSource", "flaskr/__init__.py")], defaults: false);

        Assert.Equal(["flaskr/__init__.py"], In(selection));
        Assert.Single(selection.Files);
    }

    [Fact]
    public void DefaultPythonItemExcludes_adds_patterns()
    {
        WriteFlaskr();

        ContentSelection selection = Select(extraExcludes: ["dist", "*.txt"]);

        Assert.DoesNotContain("dist/flaskr-1.0.tar.gz", In(selection));
        Assert.Equal("DefaultPythonItemExcludes '*.txt'", Reason(selection, "requirements.txt"));
    }

    [Fact]
    public void A_bad_dockerignore_line_is_PYC1027()
    {
        _project.Write("app.py", "x");
        _project.Write(".dockerignore", "*.log\nstatic/[abc\n");

        PyContainerException e = Assert.Throws<PyContainerException>(() => Select());

        Assert.Equal(Errors.InvalidDockerIgnorePattern, e.Code);
        Assert.Contains(".dockerignore line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_to_a_readable_file_goes_in_with_the_files_content()
    {
        string outside = Path.Combine(Path.GetTempPath(), "pycontainer-js-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(outside, "jquery"));
        File.WriteAllText(Path.Combine(outside, "jquery", "jquery.js"), "/* jQuery */");
        try
        {
            _project.Write("app.py", "x");
            Directory.CreateDirectory(_project.PathOf("static"));
            File.CreateSymbolicLink(_project.PathOf("static/jquery.js"), Path.Combine(outside, "jquery", "jquery.js"));
            Directory.CreateSymbolicLink(_project.PathOf("static/jquery"), Path.Combine(outside, "jquery"));

            ContentSelection selection = Select();

            Assert.Equal(["app.py", "static/jquery.js", "static/jquery/jquery.js"], In(selection));
            Assert.Contains("symbolic link", Reason(selection, "static/jquery.js"), StringComparison.Ordinal);
            Assert.Equal((2 * "/* jQuery */".Length) + 1, selection.TotalSize);
            Assert.Empty(selection.Warnings);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void A_dangling_symbolic_link_stays_out_with_PYC2007_saying_how_to_add_the_file()
    {
        _project.Write("app.py", "x");
        Directory.CreateDirectory(_project.PathOf("static"));
        File.CreateSymbolicLink(_project.PathOf("static/jquery.js"), "/usr/share/javascript/no-such-package/jquery.js");

        ContentSelection selection = Select();

        Assert.Equal(["app.py"], In(selection));
        (string code, string message) = Assert.Single(selection.Warnings);
        Assert.Equal(Errors.ContentLeftOut, code);
        Assert.Contains("'static/jquery.js'", message, StringComparison.Ordinal);
        Assert.Contains("/usr/share/javascript/no-such-package/jquery.js", message, StringComparison.Ordinal);
        Assert.Contains("<PythonContent Include=", message, StringComparison.Ordinal);
        Assert.Contains("Link=\"static/jquery.js\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_loop_is_walked_once()
    {
        _project.Write("pkg/mod.py", "x");
        Directory.CreateSymbolicLink(_project.PathOf("pkg/again"), _project.PathOf("pkg"));

        ContentSelection selection = Select();

        Assert.Equal(["pkg/mod.py"], In(selection));
        Assert.Single(selection.Warnings);
    }

    [Fact]
    public void An_unreadable_file_stays_out_with_PYC2007()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            return; // root reads everything
        }

        _project.Write("app.py", "x");
        string secret = _project.Write("private.dat", "x");
        File.SetUnixFileMode(secret, UnixFileMode.None);

        ContentSelection selection = Select();

        Assert.Equal(["app.py"], In(selection));
        Assert.Equal(Errors.ContentLeftOut, Assert.Single(selection.Warnings).Code);
    }
}
