using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Tests.TestSupport;
using Xunit;

namespace PyContainer.Tests;

public sealed class ContainerContextGeneratorTests : IDisposable
{
    private readonly TestProject _project = new();
    private readonly TestProject _output = new();

    public void Dispose()
    {
        _project.Dispose();
        _output.Dispose();
    }

    [Fact]
    public void Default_content_becomes_the_apps_files_and_the_context_is_saved_with_its_outputs()
    {
        _project.Write("app.py", TestProject.FlaskApp);
        _project.Write("templates/index.html", "<h1>hi</h1>\n");
        _project.Write(".env", "SECRET=1\n");
        var log = new RecordingLog();

        GeneratedContextFiles files = ContainerContextGenerator.Generate(
            Defaults(),
            _project.FlaskSettings() with { Files = [], PythonPackageIndexUrl = "http://127.0.0.1:5080/simple/", ContainerPort = [new("8000", "tcp")] },
            _output.Directory,
            log);

        BuildContext context = BuildContext.Load(files.ManifestPath);
        Assert.Contains("app/templates/index.html", context.Paths);
        Assert.DoesNotContain("app/.env", context.Paths);
        Assert.Equal(_output.PathOf("Dockerfile"), files.DockerfilePath);
        Assert.Equal(files.Files.Order(StringComparer.Ordinal), files.Files);
        Assert.Contains(files.DockerfilePath, files.Files);
        Assert.Equal("http://127.0.0.1:5080/simple/", files.BuildArguments["PIP_INDEX_URL"]);
        Assert.False(files.BuildArguments.ContainsKey("PIP_EXTRA_INDEX_URL"));
        Assert.Equal(["8000/tcp"], files.Ports);
        Assert.Empty(files.Volumes);
        Assert.Contains(log.Infos, line => line.StartsWith("PyContainer: 3 app files", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_of_the_content_the_model_and_the_generator_reach_the_log()
    {
        _project.Write("app.py", TestProject.FlaskApp);
        var log = new RecordingLog();

        ContainerContextGenerator.Generate(Defaults(), _project.FlaskSettings() with { Files = [], ContainerBuildKit = false }, _output.Directory, log);

        Assert.Contains(log.Warnings, w => w.Code == Errors.LegacyBuilderFallback);
    }

    [Theory]
    [InlineData(999, "999 B")]
    [InlineData(412_500, "412.5 kB")]
    [InlineData(3_100_000, "3.1 MB")]
    public void Sizes_read_as_people_write_them(long bytes, string text) =>
        Assert.Equal(text, ContainerContextGenerator.SizeText(bytes));

    private ContentOptions Defaults() => new() { ProjectDirectory = _project.Directory, EnableDefaultPythonContentItems = true };
}
