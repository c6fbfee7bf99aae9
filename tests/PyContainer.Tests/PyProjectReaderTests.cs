using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Tests.TestSupport;
using PyContainer.Python;

namespace PyContainer.Tests;

/// <summary>Static dependencies from pyproject.toml: read exactly when PEP 621 makes them final, "not known" otherwise.</summary>
public sealed class PyProjectReaderTests
{
    private const string Header = """
        [build-system]
        requires = ["setuptools>=61", "wheel"]
        build-backend = "setuptools.build_meta"

        """;

    [Fact]
    public void One_line_dependencies_are_read()
    {
        Assert.Equal(
            ["markupsafe>=2", "six"],
            PyProjectReader.StaticDependencies(Header + "[project]\nname = \"app\"\nversion = \"1.0\"\ndependencies = [\"markupsafe>=2\", 'six']\n"));
    }

    [Fact]
    public void Multi_line_dependencies_with_comments_markers_and_escapes_are_read()
    {
        const string toml = """
            [project]
            name = "app"
            description = '''
            [tool.poetry.dependencies]
            dependencies = ["not-this"]
            '''
            readme = { file = "README.md", content-type = "text/markdown" }
            authors = [{ name = "A", email = "a@example.com" }]
            dependencies = [
                # the web framework
                "flask>=2.2,<4",  # trailing comment
                'importlib-metadata; python_version < "3.10"',
                "tomli; python_version < \"3.11\"",
                "caf\u00e9",
            ]

            [project.optional-dependencies]
            test = ["pytest"]

            [[tool.hatch.envs]]
            dependencies = ["not-this-either"]
            """;

        Assert.Equal(
            ["flask>=2.2,<4", "importlib-metadata; python_version < \"3.10\"", "tomli; python_version < \"3.11\"", "café"],
            PyProjectReader.StaticDependencies(toml));
    }

    [Fact]
    public void A_project_table_without_dependencies_has_none()
    {
        Assert.Equal([], PyProjectReader.StaticDependencies("[project]\nname = \"app\"\nversion = \"1.0\"\n"));
    }

    [Fact]
    public void Dotted_keys_and_an_inline_project_table_count_like_the_table()
    {
        Assert.Equal(["six"], PyProjectReader.StaticDependencies("project.name = \"app\"\nproject.dependencies = [\"six\"]\n"));
        Assert.Equal(["six"], PyProjectReader.StaticDependencies("project = { name = \"app\", dependencies = [\"six\"] }\n"));
        Assert.Equal(["six"], PyProjectReader.StaticDependencies("[ \"project\" ]\n\"dependencies\" = [\"six\"]\n"));
    }

    /// <summary>Valid TOML of any kind around the dependencies (a date-time, a table array) does not hide them.</summary>
    [Fact]
    public void Dates_and_table_arrays_beside_the_dependencies_are_understood()
    {
        Assert.Equal(["six"], PyProjectReader.StaticDependencies("[project]\ncreated = 1979-05-27 07:32:00\ndependencies = [\"six\"]\n"));
        Assert.Equal(["six"], PyProjectReader.StaticDependencies("[project]\ndependencies = [\"six\"]\n[[project.authors]]\nname = \"a\"\n"));
    }

    [Theory]
    [InlineData("[project]\nname = \"app\"\ndynamic = [\"version\", \"dependencies\"]\n")]
    [InlineData("[project]\nname = \"app\"\ndynamic = [\"dependencies\"]\ndependencies = [\"six\"]\n")]
    [InlineData("[tool.setuptools]\npackages = [\"app\"]\n")]
    [InlineData("[tool.poetry]\nname = \"app\"\n[tool.poetry.dependencies]\npython = \"^3.9\"\n[project]\nname = \"app\"\n")]
    [InlineData("")]
    public void Dynamic_or_undeclared_dependencies_are_not_known(string toml)
    {
        Assert.Null(PyProjectReader.StaticDependencies(toml));
    }

    [Theory]
    [InlineData("[project]\ndependencies = [\"six\"]\ndependencies = [\"flask\"]\n")]
    [InlineData("[project]\ndependencies = [\"six\"\n")]
    [InlineData("[project]\ndependencies = \"six\"\n")]
    [InlineData("[project]\ndependencies = [\"six\", 1]\n")]
    [InlineData("[project]\ndependencies = [\"six\\q\"]\n")]
    [InlineData("[project]\ndependencies = [\"six\"] extra\n")]
    [InlineData("[project\ndependencies = [\"six\"]\n")]
    public void Toml_this_reader_does_not_understand_is_not_known(string toml)
    {
        Assert.Null(PyProjectReader.StaticDependencies(toml));
    }

    [Fact]
    public void Dependencies_are_validated_like_requirement_lines()
    {
        using var project = new TestProject();
        var pyproject = new AppFile(project.Write("pyproject.toml", "[project]\ndependencies = [\"six\\nRUN id\"]\n"), "pyproject.toml");

        PyContainerException error = Coded.Throws(Errors.InvalidRequirement, () => PyProjectReader.Read([pyproject]));

        Assert.Contains("[project].dependencies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setup_py_projects_are_not_read()
    {
        using var project = new TestProject();

        Assert.Null(PyProjectReader.Read([new AppFile(project.Write("setup.py", "import setuptools\n"), "setup.py")]).Dependencies);
    }

    [Fact]
    public void Build_requirements_are_read_from_the_build_system_table()
    {
        Assert.Equal(["setuptools>=61", "wheel"], PyProjectReader.BuildRequirements(Header + "[project]\nname = \"app\"\n"));
        Assert.Null(PyProjectReader.BuildRequirements("[project]\nname = \"app\"\n"));
        Assert.Null(PyProjectReader.BuildRequirements("[build-system]\nrequires = [1]\n"));
    }
}
