using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Tests.TestSupport;
using PyContainer.Python;

namespace PyContainer.Tests;

/// <summary>The Python version of the default images: property, then .python-version, then requires-python, then the default.</summary>
public sealed class PythonVersionDetectorTests
{
    [Fact]
    public void The_property_wins_over_every_file()
    {
        using var project = new TestProject();
        project.Write(".python-version", "3.10\n");
        project.Write("pyproject.toml", "[project]\nrequires-python = \"==3.9.*\"\n");

        Assert.Equal("3.12", PythonVersionDetector.Detect(" 3.12 ", project.Directory));
    }

    [Fact]
    public void A_python_version_file_wins_over_requires_python_and_skips_comments()
    {
        using var project = new TestProject();
        project.Write(".python-version", "# pyenv\n\n3.10.4\n");
        project.Write("pyproject.toml", "[project]\nrequires-python = \"==3.9.*\"\n");

        Assert.Equal("3.10.4", PythonVersionDetector.Detect(null, project.Directory));
    }

    [Theory]
    [InlineData("==3.11.*", "3.11")]
    [InlineData("~=3.10", "3.10")]
    [InlineData(">=3.13", "3.13")]
    [InlineData(">=3.8", PythonApp.DefaultPythonVersion)]
    [InlineData("<4", PythonApp.DefaultPythonVersion)]
    public void Requires_python_of_the_project_table_pins_or_raises_the_default(string specifier, string expected)
    {
        using var project = new TestProject();
        project.Write("pyproject.toml", $"[build-system]\nrequires = [\"setuptools\"]\n\n[project]\nname = \"app\"\nrequires-python = \"{specifier}\"\n");

        Assert.Equal(expected, PythonVersionDetector.Detect(null, project.Directory));
    }

    [Fact]
    public void A_requires_python_key_outside_the_project_table_is_not_the_projects()
    {
        using var project = new TestProject();
        project.Write("pyproject.toml", "[project]\nname = \"app\"\n\n[tool.other]\nrequires-python = \"==3.9.*\"\n");

        Assert.Equal(PythonApp.DefaultPythonVersion, PythonVersionDetector.Detect(null, project.Directory));
    }

    [Fact]
    public void No_property_and_no_file_gives_the_default()
    {
        using var project = new TestProject();

        Assert.Equal(PythonApp.DefaultPythonVersion, PythonVersionDetector.Detect(null, project.Directory));
    }

    [Theory]
    [InlineData("2.7")]
    [InlineData("3.11; rm -rf /")]
    public void An_invalid_version_file_is_PYC1024_naming_the_file(string content)
    {
        using var project = new TestProject();
        string file = project.Write(".python-version", content + "\n");

        PyContainerException error = Coded.Throws(Errors.InvalidPythonVersion, () => PythonVersionDetector.Detect(null, project.Directory));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }
}
