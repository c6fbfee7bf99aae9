using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>The golden-file helper's diff, which is what a developer reads when a golden test fails.</summary>
public sealed class GoldenDiffTests
{
    [Fact]
    public void Diff_marks_changed_lines_and_keeps_the_rest()
    {
        string diff = Golden.Diff("FROM a\nUSER 10001\nCMD [\"x\"]\n", "FROM a\nUSER root \nCMD [\"x\"]\n");

        Assert.Equal(
            "  FROM a\n- USER 10001   (golden line 2)\n+ USER root <-- trailing white space   (actual line 2)\n  CMD [\"x\"]\n  \n",
            diff);
    }

    [Fact]
    public void Diff_shows_added_and_removed_lines()
    {
        Assert.Equal("  a\n+ b   (actual line 2)\n  c\n- d   (golden line 3)\n", Golden.Diff("a\nc\nd", "a\nb\nc"));
    }
}
