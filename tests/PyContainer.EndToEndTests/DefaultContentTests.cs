using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// Every file an app needs goes into the image without an item naming it (templates, static files, a SQL schema,
/// a file behind a symbolic link), and nothing that never belongs there (tests, a .env, what the project's own
/// .dockerignore excludes): checked in the image's layers, and by the running app serving them.
/// </summary>
public sealed class DefaultContentTests
{
    [Fact]
    public async Task A_flask_app_gets_its_templates_static_files_and_schema_and_nothing_the_rules_or_its_dockerignore_exclude()
    {
        using var sample = SampleProject.CopyOfTestApp("flaskr-content");
        const string secret = "SECRET_KEY=pycontainer-never-in-an-image-7d1f";
        File.WriteAllText(Path.Combine(sample.Directory, ".env"), secret + "\n");
        Directory.CreateDirectory(Path.Combine(sample.Directory, "tests"));
        File.WriteAllText(Path.Combine(sample.Directory, "tests", "test_app.py"), "def test_index():\n    pass\n");
        // As Debian's packaged apps have them: a static file that is a link to a file elsewhere, and one whose target is missing.
        string vendored = Path.Combine(Path.GetTempPath(), "pycontainer-vendored-" + Guid.NewGuid().ToString("N")[..8] + ".js");
        File.WriteAllText(vendored, "/* vendored */\n");
        File.CreateSymbolicLink(Path.Combine(sample.Directory, "flaskr", "static", "vendor.js"), vendored);
        File.CreateSymbolicLink(Path.Combine(sample.Directory, "flaskr", "static", "missing.js"), "/usr/share/javascript/pycontainer-missing/missing.js");
        string tag = "content-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"flaskr-content:{tag}";
        try
        {
            ProcessResult build = await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag);
            build.ShouldSucceed("ContainerBuild of flaskr-content");

            Assert.Contains("PyContainer: 9 app files, ", build.Output, StringComparison.Ordinal);
            Assert.Contains("warning PYC2007: 'flaskr/static/missing.js' is left out of the image", build.Output, StringComparison.Ordinal);
            ImageInspector inspector = await ImageInspector.LoadAsync(image);
            int baseLayers = await ImageInspector.LayerCountAsync(TestEnvironment.BaseImage);
            var appFiles = inspector.Layers.Skip(baseLayers).SelectMany(l => l.Paths)
                .Where(p => p.StartsWith("/app/", StringComparison.Ordinal) && !p.EndsWith('/') && !p.Contains("__pycache__", StringComparison.Ordinal))
                .Distinct()
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Equal(
            [
                "/app/KEEP.md", "/app/data/seed.csv", "/app/flaskr/__init__.py", "/app/flaskr/schema.sql", "/app/flaskr/static/style.css",
                "/app/flaskr/static/vendor.js", "/app/flaskr/templates/index.html", "/app/requirements.txt", "/app/wsgi.py",
            ],
                appFiles);
            Assert.Empty(await SecretScanner.ScanImageAsync(image, [secret]));

            string contextList = File.ReadAllText(Directory.GetFiles(Path.Combine(sample.Directory, "obj"), "context.tsv", SearchOption.AllDirectories).Single());
            Assert.Contains("out\tapp/README.md\t", contextList, StringComparison.Ordinal);
            Assert.Contains(".dockerignore line 2 '*.md'", contextList, StringComparison.Ordinal);
            Assert.Contains("re-included by .dockerignore line 3 '!KEEP.md'", contextList, StringComparison.Ordinal);
            Assert.Contains("out\tapp/tests/\t", contextList, StringComparison.Ordinal);

            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Contains("<h1>Rendered by flaskr-content</h1>", await container.GetAsync("/"), StringComparison.Ordinal);
            Assert.Equal("h1 { color: #336; }\n", await container.GetAsync("/static/style.css"));
            Assert.Equal("/* vendored */\n", await container.GetAsync("/static/vendor.js"));
            Assert.StartsWith("CREATE TABLE post", await container.GetAsync("/schema"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(vendored);
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }
    /// <summary>
    /// A PythonProjectDirectory project whose build backend reads a readme (README.rst, named by its metadata) and
    /// packs package data: both reach the builder without an item, the wheel builds, and the package runs from the
    /// venv with its template and schema, not from a second copy under /app.
    /// </summary>
    [Fact]
    public async Task A_python_project_gets_what_its_build_backend_needs_and_its_package_is_in_the_image_once()
    {
        using var sample = SampleProject.CopyOfTestApp("pyproject-flat");
        string tag = "project-content-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"pyproject-flat:{tag}";
        try
        {
            (await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag)).ShouldSucceed("ContainerBuild of pyproject-flat");

            ImageInspector inspector = await ImageInspector.LoadAsync(image);
            var paths = inspector.Layers.SelectMany(l => l.Paths).ToList();
            Assert.Contains(paths, p => p.EndsWith("/site-packages/flaskr/templates/index.html", StringComparison.Ordinal));
            Assert.DoesNotContain(paths, p => p.StartsWith("/app/flaskr", StringComparison.Ordinal));
            Assert.Contains("/app/README.rst", paths);

            await using RunningContainer container = await RunningContainer.StartAsync(image);
            Assert.Matches("<h1>Served from /opt/venv/lib/python3[.0-9]+/site-packages/flaskr</h1>", await container.GetAsync("/"));
            Assert.StartsWith("CREATE TABLE post", await container.GetAsync("/schema"), StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    /// <summary>
    /// Issue 13: a flit project (flit_core from `[build-system].requires`) failed with "Description file README.rst
    /// does not exist". flit_core gets its readme, takes the version and description from the package, and packs the
    /// package's template and data file; the package runs from the venv and is not copied again under /app.
    /// </summary>
    [Fact]
    public async Task A_flit_project_builds_with_its_readme_and_serves_its_package_data_from_the_venv()
    {
        using var sample = SampleProject.CopyOfTestApp("flit-app");
        string tag = "flit-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"flit-app:{tag}";
        try
        {
            (await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag)).ShouldSucceed("ContainerBuild of flit-app");

            ImageInspector inspector = await ImageInspector.LoadAsync(image);
            var paths = inspector.Layers.SelectMany(l => l.Paths).Distinct().ToList();
            Assert.Single(paths, p => p.EndsWith("/flitapp/__init__.py", StringComparison.Ordinal));
            Assert.Contains(paths, p => p.EndsWith("/site-packages/flitapp/__init__.py", StringComparison.Ordinal));
            Assert.Contains(paths, p => p.EndsWith("/site-packages/flitapp/templates/index.html", StringComparison.Ordinal));
            Assert.Contains(paths, p => p.EndsWith("/site-packages/flitapp/data/greeting.txt", StringComparison.Ordinal));
            Assert.Contains(paths, p => p.EndsWith("/site-packages/flitapp-1.2.3.dist-info/METADATA", StringComparison.Ordinal));
            Assert.DoesNotContain(paths, p => p.StartsWith("/app/flitapp", StringComparison.Ordinal));
            Assert.Contains("/app/README.rst", paths);

            await using RunningContainer container = await RunningContainer.StartAsync(image);
            string page = await container.GetAsync("/");
            Assert.Contains("<h1>flitapp 1.2.3: Greets from a flit-built package.</h1>", page, StringComparison.Ordinal);
            Assert.Contains("<p>Hello from the package data of flitapp</p>", page, StringComparison.Ordinal);
            Assert.Matches("<p>Served from /opt/venv/lib/python3[.0-9]+/site-packages/flitapp</p>", page);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }
}
