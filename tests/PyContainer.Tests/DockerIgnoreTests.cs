using PyContainer.Context;
using PyContainer.Diagnostics;

namespace PyContainer.Tests;

/// <summary>
/// The .dockerignore matcher against docker's documented behaviour (docs.docker.com "dockerignore file") and
/// the cases moby's pattern matcher is tested with: one pattern, one path, excluded or not.
/// </summary>
public sealed class DockerIgnoreTests
{
    public static TheoryData<string, string, bool> SinglePatterns() => new()
    {
        // '**' matches any number of folders, also none; "**/" is "**".
        { "**", "file", true },
        { "**", "dir/file", true },
        { "**/", "file", true },
        { "**/", "dir/file", true },
        { "**/**", "dir/file", true },
        { "dir/**", "dir/file", true },
        { "dir/**", "dir/dir2/file", true },
        { "**/dir", "dir", true },
        { "**/dir", "dir/file", true },
        { "**/dir2/*", "dir/dir2/file", true },
        { "**/dir2/**", "dir/dir2/dir3/file", true },
        { "**file", "file", true },
        { "**file", "dir/file", true },
        { "**/file", "dir/file", true },
        { "**file", "dir/dir/file", true },
        { "**/file", "dir/dir/file", true },
        { "**/file*", "dir/dir/file", true },
        { "**/file*", "dir/dir/file.txt", true },
        { "**/file*txt", "dir/dir/file.txt", true },
        { "**/file*.txt", "dir/dir/file.txt", true },
        { "**/file*.txt*", "dir/dir/file.txt", true },
        { "**/**/*.txt", "dir/dir/file.txt", true },
        { "**/**/*.txt2", "dir/dir/file.txt", false },
        { "**/*.txt", "file.txt", true },
        { "**/**/*.txt", "file.txt", true },
        { "a**/*.txt", "a/file.txt", true },
        { "a**/*.txt", "a/dir/file.txt", true },
        { "a**/*.txt", "a/dir/dir/file.txt", true },
        { "a/*.txt", "a/dir/file.txt", false },
        { "a/*.txt", "a/file.txt", true },
        { "a/*.txt**", "a/file.txt", true },
        { "abc/**", "abc", false },
        { "abc/**", "abc/def", true },
        { "abc/**", "abc/def/ghi", true },
        { "**/foo/bar", "foo/bar", true },
        { "**/foo/bar", "dir/foo/bar", true },
        { "**/foo/bar", "dir/dir2/foo/bar", true },
        { "**/.foo", ".foo", true },
        { "**/.foo", "bar.foo", false },

        // '*' and '?' never cross a '/'; a pattern is anchored at the context's root.
        { "*", "file", true },
        { "*", "dir/file", true },
        { "*.go", "file.go", true },
        { "*.go", "dir/file.go", false },
        { "*/temp*", "somedir/temporary.txt", true },
        { "*/temp*", "somedir/sub/temporary.txt", false },
        { "*/*/temp*", "somedir/subdir/temporary.txt", true },
        { "temp?", "temp1", true },
        { "temp?", "temp12", false },
        { "temp?", "temp", false },
        { ".*", ".foo", true },
        { ".*", "foo", false },
        { "abc.def", "abc.def", true },
        { "abc.def", "abcdef", false },
        { "abc.def", "abcZdef", false },
        { "abc?def", "abcZdef", true },
        { "abc?def", "abcdef", false },

        // Character classes, negation with '^', and '\' escapes.
        { "a[b-d]e", "ae", false },
        { "a[b-d]e", "ace", true },
        { "a[b-d]e", "aae", false },
        { "a[^b-d]e", "aze", true },
        { "a[^b-d]e", "ace", false },
        { "[a-c]x", "bx", true },
        { "[abc]x", "dx", false },
        { "a\\*b", "a*b", true },
        { "a\\*b", "axb", false },
        { "a\\\\", "a\\", true },
        { "\\[x]", "[x]", true },

        // Characters regular expressions would read as syntax are plain characters here.
        { "a(b)c/def", "a(b)c/def", true },
        { "a(b)c/def", "a(b)c/xyz", false },
        { "a.|)$(}+{bc", "a.|)$(}+{bc", true },
        { "dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true },

        // A pattern matching a folder excludes what is in it; a leading '/', './' or a trailing '/' changes nothing.
        { "docs", "docs/index.md", true },
        { "docs", "docs/api/index.md", true },
        { "docs", "src/docs/index.md", false },
        { "/docs", "docs/index.md", true },
        { "./docs", "docs/index.md", true },
        { "docs/", "docs/index.md", true },
        { "docs//api", "docs/api/x", true },
        { "a/../b", "b/file", true },
        { "node_modules", "node_modules", true },
        { "*.md", "README.md", true },
        { "*.md", "docs/README.md", false },
        { "**/*.md", "docs/README.md", true },
    };

    [Theory]
    [MemberData(nameof(SinglePatterns))]
    public void One_pattern_matches_as_docker_matches(string pattern, string path, bool excluded)
    {
        DockerIgnore matcher = DockerIgnore.Parse(pattern, ".dockerignore");

        Assert.Equal(excluded, matcher.Match(path).Excluded);
    }

    [Theory]
    [InlineData("*.md\n!README.md", "README.md", false)]
    [InlineData("*.md\n!README.md", "CHANGES.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README-public.md", false)]
    [InlineData("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", false)]
    [InlineData("docs\n!docs/keep.txt", "docs/keep.txt", false)]
    [InlineData("docs\n!docs/keep.txt", "docs/other.txt", true)]
    [InlineData("!docs/keep.txt\ndocs", "docs/keep.txt", true)]
    [InlineData("**\n!app\n!app/**", "app/main.py", false)]
    [InlineData("**\n!app\n!app/**", "other/main.py", true)]
    [InlineData("*\n!*.py", "main.py", false)]
    [InlineData("*\n!*.py", "dir/main.py", true)]
    [InlineData("static/*\n!static/app.css", "static/app.css", false)]
    [InlineData("static/*\n!static/app.css", "static/vendor/x.js", true)]
    public void The_last_matching_line_decides_and_bang_re_includes(string ignoreFile, string path, bool excluded)
    {
        Assert.Equal(excluded, DockerIgnore.Parse(ignoreFile, ".dockerignore").Match(path).Excluded);
    }

    [Fact]
    public void Comments_blank_lines_spaces_a_bom_and_crlf_are_handled_as_docker_does()
    {
        DockerIgnore matcher = DockerIgnore.Parse("\uFEFF# a comment\r\n\r\n   *.log  \r\n #not-a-comment\r\n! keep.log\r\n", ".dockerignore");

        Assert.True(matcher.Match("app.log").Excluded);
        Assert.False(matcher.Match("keep.log").Excluded);
        Assert.True(matcher.Match("#not-a-comment").Excluded);
        Assert.False(matcher.Match("# a comment").Excluded);
    }

    [Fact]
    public void The_deciding_line_is_reported_with_its_number()
    {
        DockerIgnore matcher = DockerIgnore.Parse("# header\n*.sql\n!schema.sql\n", ".dockerignore");

        var (excluded, decider) = matcher.Match("schema.sql");

        Assert.False(excluded);
        Assert.NotNull(decider);
        Assert.Equal(3, decider.Line);
        Assert.True(decider.Reincludes);
        Assert.Equal(2, matcher.Match("dump.sql").Decider!.Line);
        Assert.Null(matcher.Match("app.py").Decider);
    }

    [Theory]
    [InlineData("!", "'!' needs a pattern")]
    [InlineData("a[b", "not closed")]
    [InlineData("abc\\", "lone")]
    public void A_pattern_docker_rejects_is_PYC1027_naming_the_file_and_line(string pattern, string why)
    {
        PyContainerException e = Assert.Throws<PyContainerException>(() => DockerIgnore.Parse("ok.txt\n" + pattern, ".dockerignore"));

        Assert.Equal(Errors.InvalidDockerIgnorePattern, e.Code);
        Assert.Contains(".dockerignore line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
