using PyContainer.Diagnostics;
using PyContainer.Python.Requirements;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class SplitRequirementCheckTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    private string ProjectFile(string items) =>
        _project.Write("app.msbuildproj", $"<Project><ItemGroup>{items}</ItemGroup></Project>");

    [Theory]
    [InlineData("gunicorn; rm -rf /", "gunicorn%3B rm -rf /")]
    [InlineData("flask; python_version &lt; '3.11'", "flask%3B python_version < '3.11'")]
    [InlineData("flask ;os_name", "flask%3B os_name")]
    [InlineData("flask;gunicorn; rm -rf /", "flask%3B gunicorn%3B rm -rf /")]
    public void An_Include_split_at_a_semicolon_is_PYC1013_with_the_escape(string include, string escaped)
    {
        string file = ProjectFile($"<PythonRequirement Include=\"{include}\" />");
        string[] parts = System.Net.WebUtility.HtmlDecode(include).Split(';').Select(p => p.Trim()).ToArray();

        PyContainerException e = Coded.Throws(Errors.InvalidRequirement, () => SplitRequirementCheck.Check(parts.Select(p => new InlineRequirement(p, file)).ToList()));

        Assert.Contains($"Include=\"{escaped}\"", e.Message, StringComparison.Ordinal);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_requirements_in_one_Include_are_not_a_split()
    {
        string file = ProjectFile("<PythonRequirement Include=\"flask;gunicorn>=20 ; waitress\" />");

        SplitRequirementCheck.Check([new("flask", file), new("gunicorn>=20", file), new("waitress", file)]);
    }

    [Fact]
    public void Separate_items_are_not_a_split_even_when_one_is_invalid()
    {
        // The project file shows two Includes: the invalid one is left to the requirement check itself.
        string file = ProjectFile("<PythonRequirement Include=\"flask\" /><PythonRequirement Include=\"python_version\" />");

        SplitRequirementCheck.Check([new("flask", file), new("python_version", file)]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/nonexistent/app.msbuildproj")]
    public void Without_a_readable_project_file_a_marker_after_a_requirement_is_a_split(string? file)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidRequirement, () =>
            SplitRequirementCheck.Check([new("flask", file), new("python_version < '3.11'", file)]));

        Assert.Contains("flask%3B python_version < '3.11'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_readable_project_file_valid_neighbours_pass()
    {
        SplitRequirementCheck.Check([new("flask", null), new("gunicorn", null)]);
    }
}
