using PyContainer.Model;
using PyContainer.Settings;

namespace PyContainer.Tests.TestSupport;

/// <summary>A throw-away project folder under the temp directory, deleted on dispose.</summary>
internal sealed class TestProject : IDisposable
{
    public TestProject()
    {
        Directory = Path.Combine(Path.GetTempPath(), "pycontainer-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    /// <summary>Writes a file (creating its folders) and returns its full path.</summary>
    public string Write(string relativePath, string content)
    {
        string full = PathOf(relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Writes a Python source and returns it as the PythonSource item MSBuild would pass (full path).</summary>
    public InputFile Source(string relativePath, string content = "print('hello')\n") =>
        new("PythonSource", Write(relativePath, content));

    /// <summary>The Flask + gunicorn shape most tests start from: app.py, a requirements file, PythonWsgiApp.</summary>
    public PythonAppSettings FlaskSettings() => TargetDefaults.Settings with
    {
        ProjectDirectory = Directory,
        ProjectName = "flask-hello",
        Files = [Source("app.py", FlaskApp)],
        PythonRequirementsFile = [Write("requirements.txt", "flask==3.0.3\ngunicorn==23.0.0\n")],
        PythonWsgiApp = "app:app",
    };

    public const string FlaskApp = """
        from flask import Flask

        app = Flask(__name__)


        @app.get("/")
        def index():
            return "Hello from a container\n"

        """;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
