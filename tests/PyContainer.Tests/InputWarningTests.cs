using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class InputWarningTests
{
    [Fact]
    public void A_clean_Flask_app_has_no_warnings()
    {
        using var project = new TestProject();

        Assert.Empty(PythonAppResolver.Resolve(project.FlaskSettings()).Warnings);
    }

    [Theory]
    [InlineData(".env")]
    [InlineData("config/.env.production")]
    [InlineData("certs/server.key")]
    [InlineData("tls.pem")]
    [InlineData(".venv/lib/site.py")]
    [InlineData(".git/config")]
    [InlineData("id_rsa")]
    public void Secrets_and_local_environments_among_the_inputs_are_warned_about(string path)
    {
        using var project = new TestProject();
        PythonAppSettings settings = project.FlaskSettings();
        settings.Files.Add(new InputFile("PythonContent", project.Write(path, "secret")));

        var warning = Assert.Single(PythonAppResolver.Resolve(settings).Warnings);

        Assert.Equal("PYC2003", warning.Code);
        Assert.Contains(path, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "gunicorn")]
    [InlineData("waitress", "waitress")]
    [InlineData("twisted", "twisted")]
    public void A_web_server_missing_from_the_requirements_is_warned_about(string? server, string named)
    {
        using var project = new TestProject();
        var settings = TargetDefaults.Settings with
        {
            ProjectDirectory = project.Directory,
            ProjectName = "svc",
            Files = [project.Source("app.py", TestProject.FlaskApp)],
            PythonRequirement = ["flask>=2.2"],
            PythonWsgiApp = "app:app",
            PythonWsgiServer = server ?? TargetDefaults.Settings.PythonWsgiServer,
        };

        var warning = Assert.Single(PythonAppResolver.Resolve(settings).Warnings);

        Assert.Equal("PYC2004", warning.Code);
        Assert.Contains($"'{named}'", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gunicorn[gevent]>=20")]
    [InlineData("gunicorn ; python_version >= '3.8'")]
    public void A_server_requirement_is_recognised_whatever_its_spelling(string requirement)
    {
        using var project = new TestProject();
        var settings = TargetDefaults.Settings with
        {
            ProjectDirectory = project.Directory,
            ProjectName = "svc",
            Files = [project.Source("app.py", TestProject.FlaskApp)],
            PythonRequirement = ["flask", requirement],
            PythonWsgiApp = "app:app",
        };

        Assert.Empty(PythonAppResolver.Resolve(settings).Warnings);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("0")]
    [InlineData("0:0")]
    public void Running_as_root_is_warned_about(string user)
    {
        using var project = new TestProject();

        var warning = Assert.Single(PythonAppResolver.Resolve(project.FlaskSettings() with { ContainerUser = user }).Warnings);

        Assert.Equal("PYC2005", warning.Code);
    }
}
