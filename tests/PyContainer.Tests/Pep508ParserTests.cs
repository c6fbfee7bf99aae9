using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Python.Requirements;
using PyContainer.Tests.TestSupport;
using PyContainer.Python;

namespace PyContainer.Tests;

/// <summary>
/// The PEP 508 grammar and pip's reading of a requirement line. Cases follow PEP 508's examples and the
/// `packaging` project's requirement, marker and specifier tests (inputs rewritten here, not copied code).
/// </summary>
public sealed class Pep508ParserTests
{
    [Theory]
    [InlineData("A", "A", "", "")]
    [InlineData("aa", "aa", "", "")]
    [InlineData("foo-bar.quux_baz", "foo-bar.quux_baz", "", "")]
    [InlineData("name>=3", "name", "", ">=3")]
    [InlineData("name (==4)", "name", "", "==4")]
    [InlineData("name>=3,<2", "name", "", ">=3,<2")]
    [InlineData("name >=2, <3", "name", "", ">=2,<3")]
    [InlineData("foobar [quux,bar]", "foobar", "quux,bar", "")]
    [InlineData("foo[]", "foo", "", "")]
    [InlineData("name[ quux , strange ]", "name", "quux,strange", "")]
    [InlineData("requests [security,tests] >= 2.8.1, == 2.8.* ", "requests", "security,tests", ">=2.8.1,==2.8.*")]
    [InlineData("django>=3.2,<4", "django", "", ">=3.2,<4")]
    [InlineData("pip===1.0+anything.goes", "pip", "", "===1.0+anything.goes")]
    [InlineData("pip~=1.4.2", "pip", "", "~=1.4.2")]
    [InlineData("pip == 1!2.0rc1.post2.dev3+ubuntu.1", "pip", "", "==1!2.0rc1.post2.dev3+ubuntu.1")]
    [InlineData("pip!=2.0.*", "pip", "", "!=2.0.*")]
    [InlineData("pip>=v1.0-1", "pip", "", ">=v1.0-1")]
    [InlineData("pip>=1.0_Alpha_1", "pip", "", ">=1.0_Alpha_1")]
    [InlineData("pip<=2.0.preview.dev", "pip", "", "<=2.0.preview.dev")]
    [InlineData("\tname\t", "name", "", "")]
    public void Valid_requirements_parse_into_name_extras_and_specifiers(string text, string name, string extras, string specifiers)
    {
        Pep508Requirement parsed = Pep508Parser.ParseRequirement(text);

        Assert.Equal(name, parsed.Name);
        Assert.Equal(extras, string.Join(",", parsed.Extras));
        Assert.Equal(specifiers, string.Join(",", parsed.Specifiers));
        Assert.Null(parsed.Url);
    }

    [Theory]
    [InlineData("name@ http://foo.com", "http://foo.com")]
    [InlineData("name @ file:///absolute/path", "file:///absolute/path")]
    [InlineData("name [fred,bar] @ http://foo.com", "http://foo.com")]
    [InlineData("pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686", "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686")]
    [InlineData("thing @ git+https://example.com/repo.git@v1.0", "git+https://example.com/repo.git@v1.0")]
    public void Direct_references_keep_their_url(string text, string url)
    {
        Assert.Equal(url, Pep508Parser.ParseRequirement(text).Url);
    }

    [Theory]
    [InlineData("foo!", "unexpected '!'")]
    [InlineData("toto 42", "unexpected '42'")]
    [InlineData("name-", "unexpected '-'")]
    [InlineData("-name", "starts with a project name")]
    [InlineData("name[", "the line ends where an extra's name belongs")]
    [InlineData("name[a,]", "extra's name")]
    [InlineData("name[a b]", "not 'b'")]
    [InlineData("name (>=1", "')' is missing")]
    [InlineData("name>=", "a version must follow the operator")]
    [InlineData("name>=1.0.*", "without '.*'")]
    [InlineData("name<=1.0+local", "without '.*' or '+local'")]
    [InlineData("name~=1", "at least two parts")]
    [InlineData("name~=1.0.*", "at least two parts")]
    [InlineData("name==1.0.org1", "PEP 440 version")]
    [InlineData("name>=1.x.y", "PEP 440 version")]
    [InlineData("name==1.0rc1.*", "PEP 440 version")]
    [InlineData("name=1.0", "unexpected '=1.0'")]
    [InlineData("name>>1.0", "PEP 440 version")]
    [InlineData("name>=1.0 <2", "unexpected '<2'")]
    [InlineData("name >=1.0,", "where a version specifier belongs")]
    [InlineData("name @", "must be followed by a URL")]
    [InlineData("name @ gopher:/foo/com", "not a URL pip can fetch")]
    [InlineData("name @ file:.", "not a URL pip can fetch")]
    [InlineData("name @ https:///path", "names no host")]
    [InlineData("name @ https://example.com/x\"y", "holds characters a URL cannot")]
    [InlineData("gunicorn`touch x`", "unexpected '`touch x`'")]
    [InlineData("flask$(id)", "unexpected '$(id)'")]
    [InlineData("flaské", "unexpected 'é'")]
    public void Invalid_requirements_say_why(string text, string reason)
    {
        var e = Assert.Throws<RequirementSyntaxException>(() => Pep508Parser.ParseRequirement(text));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("python_version == \"2.7\"")]
    [InlineData("python_version<'2.7' and platform_version=='2'")]
    [InlineData("os_name=='a' and os_name=='b' or os_name=='c'")]
    [InlineData("'f' in sys_platform")]
    [InlineData("'linux' not in sys_platform")]
    [InlineData("extra == \"feature\"")]
    [InlineData("(python_version < '3.8' or python_version >= '3.12') and (os_name == 'posix')")]
    [InlineData("((implementation_name=='cpython'))")]
    [InlineData("python_full_version ~= '3.11.0' and platform_machine != 'x86_64'")]
    [InlineData("platform_python_implementation === 'CPython'")]
    [InlineData("python_version>\"3\"and os_name==\"posix\"")]
    [InlineData("os.name == 'posix' or sys.platform == 'linux' or platform.machine == 'arm64'")]
    [InlineData("'3.11' <= python_version")]
    [InlineData("platform_release == '' and platform_system == 'Linux' and implementation_version >= '3'")]
    public void Valid_markers_parse(string marker)
    {
        Pep508Parser.ParseMarker(marker);
        Assert.True(Pep508Parser.IsMarker(marker));
    }

    [Theory]
    [InlineData("rm -rf /", "'rm' is not an environment marker variable")]
    [InlineData("foobar=='x'", "'foobar' is not an environment marker variable")]
    [InlineData("python_version", "the line ends where an environment marker operator belongs")]
    [InlineData("python_version == ", "ends where a marker variable or a quoted string belongs")]
    [InlineData("python_version == '3.8", "has no closing '")]
    [InlineData("python_version == 3.8", "'3.8' is not an environment marker variable")]
    [InlineData("python_version = '3.8'", "where an environment marker operator belongs")]
    [InlineData("python_version == '3.8' and", "ends where a marker variable")]
    [InlineData("python_version == '3.8' && os_name == 'nt'", "unexpected '&&")]
    [InlineData("(python_version == '3.8'", "')' is missing")]
    [InlineData("python_version == '3.8')", "unexpected ')'")]
    [InlineData("os_name not 'nt'", "only 'not in' is an operator")]
    [InlineData("os_name nothing 'nt'", "'nothing")]
    [InlineData("python_version == '3' andos_name == 'x'", "unexpected 'andos_name")]
    [InlineData("   ", "is empty")]
    [InlineData("`touch x`", "'`' cannot start an environment marker value")]
    public void Invalid_markers_say_why(string marker, string reason)
    {
        var e = Assert.Throws<RequirementSyntaxException>(() => Pep508Parser.ParseMarker(marker));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(Pep508Parser.IsMarker(marker));
    }

    /// <summary>Lines pip installs as written: they stay valid.</summary>
    [Theory]
    [InlineData("flask==3.0.3")]
    [InlineData("flask>=2.2")]
    [InlineData("django>=3.2,<4")]
    [InlineData("name[bar]>=3; python_version == \"2.7\"")]
    [InlineData("name@ http://foo.com ; extra == \"feature\"")]
    [InlineData("name [fred,bar] @ http://foo.com ; python_version=='2.7'")]
    [InlineData("name; os_name=='a' and os_name=='b' or os_name=='c'")]
    [InlineData("flask;")]
    [InlineData("flask ; python_version >= '3.8'")]
    [InlineData("flask==3.0.3 --hash=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("flask==3.0.3 --hash sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef --hash=sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210")]
    [InlineData("git+https://example.com/repo.git#egg=thing")]
    [InlineData("https://example.com/pkgs/thing-1.0-py3-none-any.whl")]
    [InlineData("https://example.com/pkgs/thing-1.0.tar.gz ; python_version >= '3.8'")]
    [InlineData("thing @ https://example.com/pkgs/thing-1.0.tar.gz ; python_version >= '3.8'")]
    [InlineData("pytz>=2023.3 ; sys_platform != \"win32\" and platform_machine != \"arm64\"")]
    public void Lines_pip_reads_as_written_are_valid(string line)
    {
        Assert.Equal(line, RequirementsReader.Validate(line, "a test"));
    }

    /// <summary>Lines pip rejects, or reads as something else than written: PYC1013 with the reason.</summary>
    [Theory]
    [InlineData("flask; rm -rf /", "'rm' is not an environment marker variable")]
    [InlineData("gunicorn`touch x`", "unexpected '`touch x`'")]
    [InlineData("rm -rf /", "'-rf' is not supported after a requirement")]
    [InlineData("flask; python_version >= '3.8' ; os_name == 'nt'", "unexpected ';")]
    [InlineData("foo @ https://example.com/name;v=1.1/?query=foo ; python_version=='3.4'", "write it as %3B")]
    [InlineData("thing @ https://example.com/thing.tar.gz; python_version >= '3.8'", "put a space before it")]
    [InlineData("https://example.com/thing.whl;python_version>'3'", "write the ';' in it as %3B")]
    [InlineData("flask==3.0 --config-settings=x=y", "'--config-settings=x=y' is not supported after a requirement")]
    [InlineData("flask==3.0 --install-option=--prefix=/tmp", "is not supported after a requirement")]
    [InlineData("flask==3.0 --hash=md5:0123456789abcdef0123456789abcdef", "not a hash pip accepts")]
    [InlineData("flask==3.0 --hash=sha256:abc", "not a hash pip accepts")]
    [InlineData("flask==3.0 --hash", "'--hash' is not supported")]
    [InlineData("pkg @ https://${TOKEN}@example.com/pkg.whl", "pip replaces '${TOKEN}'")]
    [InlineData("./local", "local path")]
    [InlineData("dist/thing-1.0-py3-none-any.whl", "local path")]
    [InlineData("thing-1.0.tar.gz", "local path")]
    [InlineData("pkg#egg", "unexpected '#egg'")]
    [InlineData("gopher://example.com/x", "not a URL pip can fetch")]
    [InlineData("git+https:relative", "not a URL pip can fetch")]
    public void Lines_pip_rejects_or_reads_otherwise_are_PYC1013(string line, string reason)
    {
        PyContainerException e = Coded.Throws(Errors.InvalidRequirement, () => RequirementsReader.Validate(line, "requirements.txt line 7"));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{line}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("requirements.txt line 7", e.Message, StringComparison.Ordinal);
    }
}
