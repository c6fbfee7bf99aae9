using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;
using PyContainer.Python;

namespace PyContainer.Tests;

public sealed class RequirementsReaderTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    private List<string> ReadFile(string content, params string[] inline)
    {
        string file = _project.Write("requirements.txt", content);
        return RequirementsReader.Read([file], inline, _project.Directory);
    }

    [Fact]
    public void Comments_and_blank_lines_are_dropped()
    {
        List<string> lines = ReadFile("""
            # a comment line
              # an indented comment

            flask==3.0.3  # pinned for the sample
            gunicorn	# after a tab
            pkg @ https://example.com/pkg-1.0.tar.gz#sha256=00ff
            git+https://example.com/repo.git#egg=thing

            """);

        Assert.Equal(["flask==3.0.3", "gunicorn", "pkg @ https://example.com/pkg-1.0.tar.gz#sha256=00ff", "git+https://example.com/repo.git#egg=thing"], lines);
    }

    [Fact]
    public void Backslash_continues_a_line_as_pip_joins_it()
    {
        List<string> lines = ReadFile("requests\\\n==2.32.3\nflask \\\n  >=3.0 \\\n  ,<4\nlast\\");

        // pip drops the backslash and the line break and nothing else.
        Assert.Equal(["requests==2.32.3", "flask   >=3.0   ,<4", "last"], lines);
    }

    [Fact]
    public void A_comment_line_ending_in_a_backslash_does_not_swallow_the_next_line()
    {
        // pip: a comment line is never a continuation (its trailing '\' is part of the comment).
        List<string> lines = ReadFile("# Windows paths look like C:\\\nflask\n");

        Assert.Equal(["flask"], lines);
    }

    [Fact]
    public void Requirement_includes_are_relative_to_the_including_file()
    {
        _project.Write("reqs/base.txt", "-r shared/common.txt\nflask\n--requirement=../top.txt\n--requirement extra.txt\n");
        _project.Write("reqs/shared/common.txt", "requests\n");
        _project.Write("reqs/extra.txt", "gunicorn\n");
        _project.Write("top.txt", "click\n");
        // Not where the relative paths would resolve if they were taken from the project folder.
        _project.Write("shared/common.txt", "wrong\n");
        _project.Write("extra.txt", "wrong\n");

        List<string> lines = RequirementsReader.Read([_project.PathOf("reqs/base.txt")], [], _project.Directory);

        Assert.Equal(["requests", "flask", "click", "gunicorn"], lines);
    }

    [Fact]
    public void Requirements_files_are_relative_to_the_project_folder_and_inline_items_come_last()
    {
        _project.Write("req/a.txt", "flask\n");

        List<string> lines = RequirementsReader.Read(["req/a.txt"], [" gunicorn>=23 ", "requests"], _project.Directory);

        Assert.Equal(["flask", "gunicorn>=23", "requests"], lines);
    }

    [Fact]
    public void Include_cycles_end()
    {
        _project.Write("a.txt", "-r b.txt\nflask\n");
        _project.Write("b.txt", "-r a.txt\nrequests\n-r b.txt\n");

        List<string> lines = RequirementsReader.Read([_project.PathOf("a.txt")], [], _project.Directory);

        Assert.Equal(["requests", "flask"], lines);
    }

    [Theory]
    [InlineData("--index-url https://pypi.example.com/simple", "--index-url", "Set PythonPackageIndexUrl instead")]
    [InlineData("--index-url=https://pypi.example.com/simple", "--index-url", "Set PythonPackageIndexUrl instead")]
    [InlineData("-i https://pypi.example.com/simple", "-i", "Set PythonPackageIndexUrl instead")]
    [InlineData("--extra-index-url https://pypi.example.com/simple", "--extra-index-url", "Set PythonExtraPackageIndexUrl instead")]
    [InlineData("-f ./wheels", "-f", "Set PythonPackageIndexUrl instead")]
    [InlineData("--find-links ./wheels", "--find-links", "Set PythonPackageIndexUrl instead")]
    [InlineData("-c constraints.txt", "-c", "Set PythonRequirement items instead")]
    [InlineData("--constraint constraints.txt", "--constraint", "Set PythonRequirement items instead")]
    [InlineData("-e .", "-e", "Set PythonRequirement items instead")]
    [InlineData("--editable ./lib", "--editable", "Set PythonRequirement items instead")]
    [InlineData("--trusted-host pypi.example.com", "--trusted-host", "Set PythonPackageIndexUrl instead")]
    [InlineData("--no-index", "--no-index", "Set PythonPackageIndexUrl instead")]
    [InlineData("--pre", "--pre", "Set PythonRequirement items instead")]
    public void Refused_options_name_the_property_to_use(string line, string option, string setInstead)
    {
        PyContainerException e = Coded.Throws(Errors.UnsupportedRequirementOption, () => ReadFile("flask\n\n" + line + "\n"));

        Assert.Contains(setInstead, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{option}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(_project.PathOf("requirements.txt"), e.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_option_reports_the_physical_line_after_continuations()
    {
        PyContainerException e = Coded.Throws(Errors.UnsupportedRequirementOption, () => ReadFile("flask \\\n  >=3.0\n# comment\n-i https://x.example.com\n"));

        Assert.Contains("line 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_option_in_an_included_file_names_that_file()
    {
        _project.Write("dev.txt", "--extra-index-url https://x.example.com\n");

        PyContainerException e = Coded.Throws(Errors.UnsupportedRequirementOption, () => ReadFile("-r dev.txt\n"));

        Assert.Contains(_project.PathOf("dev.txt"), e.Message, StringComparison.Ordinal);
        Assert.Contains("PythonExtraPackageIndexUrl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_requirements_file_is_PYC1006()
    {
        PyContainerException e = Coded.Throws(Errors.RequirementsFileMissing, () => RequirementsReader.Read(["nope.txt"], [], _project.Directory));

        Assert.Contains("nope.txt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_included_file_is_PYC1006()
    {
        PyContainerException e = Coded.Throws(Errors.RequirementsFileMissing, () => ReadFile("-r missing.txt\n"));

        Assert.Contains("missing.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist. Fix the path or remove the item", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_requirements_file_is_PYC1025()
    {
        // chmod 000 does not stop root, who runs these tests; /proc/self/mem exists but fails every read at offset 0.
        string link = Path.Combine(_project.Directory, "requirements.txt");
        File.CreateSymbolicLink(link, "/proc/self/mem");

        PyContainerException e = Coded.Throws(Errors.InputFileUnreadable, () => RequirementsReader.Read([link], [], _project.Directory));

        Assert.Contains("PythonRequirementsFile", e.Message, StringComparison.Ordinal);
        Assert.Contains(link, e.Message, StringComparison.Ordinal);
        Assert.Contains("exists but cannot be read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requirements_path_that_is_a_folder_is_PYC1006()
    {
        Directory.CreateDirectory(Path.Combine(_project.Directory, "requirements.txt"));

        PyContainerException e = Coded.Throws(Errors.RequirementsFileMissing, () => RequirementsReader.Read(["requirements.txt"], [], _project.Directory));

        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(">=2.0")]
    [InlineData("$(id)")]
    [InlineData("==1.0 flask")]
    public void Malformed_requirement_line_in_a_file_is_PYC1013(string line)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidRequirement, () => ReadFile("flask\n" + line + "\n"));

        Assert.Contains(_project.PathOf("requirements.txt"), e.Message, StringComparison.Ordinal);
        Assert.Contains("is not a valid requirement line", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flask\nRUN rm -rf /")]
    [InlineData("fla\rsk")]
    [InlineData("-e .")]
    [InlineData("--index-url=https://x.example.com")]
    [InlineData("   ")]
    [InlineData("$(id)")]
    [InlineData("./local")]
    [InlineData("flask \\")]
    public void Invalid_inline_requirement_is_PYC1013(string requirement)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidRequirement, () => RequirementsReader.Read([], [requirement], _project.Directory));

        Assert.Contains("from the PythonRequirement items is not a valid requirement line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_character_in_a_file_line_is_PYC1013()
    {
        PyContainerException e = Coded.Throws(Errors.InvalidRequirement, () => ReadFile("fla\u0001sk\n"));

        Assert.Contains("holds a line break or another control character", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_line_endings_are_read_as_line_breaks()
    {
        Assert.Equal(["flask", "gunicorn"], ReadFile("flask\r\ngunicorn\r\n"));
    }
}
