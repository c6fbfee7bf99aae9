using PyContainer.Python.Requirements;
using PyContainer.Python.Wheels;

namespace PyContainer.Tests.Lock;

public sealed class MarkerEvaluationTests
{
    private static readonly IReadOnlyDictionary<string, string> Bookworm =
        new TargetPlatform("3.11", "3.11.2", "x86_64", Libc.Glibc, "2.36").MarkerEnvironment();

    [Theory]
    [InlineData("python_version >= \"3.8\"", true)]
    [InlineData("python_version < \"3.10\"", false)]
    [InlineData("python_version > \"3.9\" and python_version < \"3.12\"", true)]
    [InlineData("python_full_version == \"3.11.*\"", true)]
    [InlineData("python_full_version ~= \"3.11.0\"", true)]
    [InlineData("python_full_version < \"3.11.2\"", false)]
    [InlineData("sys_platform == \"win32\" or platform_machine == \"x86_64\"", true)]
    [InlineData("sys_platform == \"win32\"", false)]
    [InlineData("platform_machine != \"aarch64\" and (os_name == \"posix\")", true)]
    [InlineData("\"linux\" in sys_platform", true)]
    [InlineData("platform_system not in \"Windows Darwin\"", true)]
    [InlineData("implementation_name == \"pypy\"", false)]
    [InlineData("platform_python_implementation == 'CPython'", true)]
    [InlineData("python_implementation == 'CPython'", true)]
    [InlineData("os.name == 'posix'", true)]
    [InlineData("extra == \"test\"", false)]
    [InlineData("\"3.12\" > python_version", true)]
    public void Markers_are_evaluated_for_the_target(string marker, bool expected)
    {
        Assert.Equal(expected, Pep508Parser.EvaluateMarker(marker, Bookworm));
    }

    [Fact]
    public void A_bad_marker_is_a_syntax_error_even_where_the_result_is_known()
    {
        Assert.Throws<RequirementSyntaxException>(() => Pep508Parser.EvaluateMarker("python_version >= '3' or nonsense == 'x'", Bookworm));
    }

    [Theory]
    [InlineData("1.0.dev0", "1.0a1")]
    [InlineData("1.0a1", "1.0b1")]
    [InlineData("1.0rc1", "1.0")]
    [InlineData("1.0", "1.0.post1")]
    [InlineData("1.0", "1.0+local")]
    [InlineData("1.9", "1.10")]
    [InlineData("1!0.1", "1!1.0")]
    [InlineData("2.0", "1!0.1")]
    public void Pep440_versions_are_ordered_as_packaging_orders_them(string lower, string higher)
    {
        Assert.True(Pep440Version.Parse(lower).CompareTo(Pep440Version.Parse(higher)) < 0);
    }

    [Fact]
    public void Equal_versions_in_different_spellings_are_equal()
    {
        Assert.Equal(Pep440Version.Parse("1.0.0"), Pep440Version.Parse("1.0"));
        Assert.Equal("1.0rc1.post2.dev3", Pep440Version.Parse("1.0-RC1-post2.dev3").ToString());
        Assert.False(Pep440.Satisfies("1.0rc1", "<", "1.0"));
        Assert.False(Pep440.Satisfies("1.0.post1", ">", "1.0"));
        Assert.True(Pep440.Satisfies("1.0+abc", "==", "1.0"));
        Assert.Null(Pep440.Satisfies("not a version", "<", "1.0"));
    }
}
