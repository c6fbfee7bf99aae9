using System.Formats.Tar;
using System.Text;
using System.Text.RegularExpressions;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Dockerfile.Strategies;
using PyContainer.Model;
using PyContainer.Settings;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>
/// Every property and item that reaches the Dockerfile, fed values that try to end an instruction early, start
/// a new one, or expand something at build time. Each must either be refused with a coded error, or land in
/// the Dockerfile as exactly that value, inside the instruction it belongs to.
/// </summary>
public sealed partial class HostileValueTests : IDisposable
{
    private static readonly string[] Hostile =
    [
        "x\nRUN rm -rf /",
        "a\"b",
        "$(id)",
        "${HOME}",
        "back\\slash",
        "`id`",
        "\n",
        "x\r\nRUN id",
        "x\rRUN id",
        "ends\\",
        "ends\\ ",
        "\\\nRUN id",
        "tab\there",
        "a b",
        "#comment",
        "x\u2028RUN id",
        "x\u0085RUN id",
        "'quoted'",
        "a;b&&c|d",
        "x\0y",
        "ünïcødé",
    ];

    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    /// <summary>One place a value can go, with a benign value, how it is set, and what the Dockerfile must then hold.</summary>
    private sealed record Target(string Benign, Func<TestProject, string, PythonAppSettings> Settings, Action<string, Generated>? Check = null);

    private sealed record Generated(PythonApp App, GeneratedContext Context, List<Instruction> Instructions)
    {
        public IEnumerable<KeyValuePair<string, string>> Pairs(string keyword) =>
            Instructions.Where(i => i.Keyword == keyword)
                .SelectMany(i => DockerfileText.DecodePairs(i.Arguments, allowExpansion: i.Arguments.StartsWith("PATH=", StringComparison.Ordinal)));

        public string[] Cmd => DockerfileText.DecodeExecForm(Instructions.Last(i => i.Keyword == "CMD").Arguments);
    }

    private static PythonAppSettings App(
        TestProject project,
        string? wsgiApp = "app:app",
        string? script = null,
        string? module = null,
        string? asgiApp = null,
        string? baseImage = null,
        string? builderImage = null,
        string? user = null,
        string? workingDirectory = null,
        string? indexUrl = null,
        string? extraIndexUrl = null,
        string projectName = "hostile",
        string? generator = null,
        string? pythonVersion = null,
        string? djangoSettingsModule = null,
        string? healthCheckPath = null,
        string? wsgiServer = null,
        IList<string>? appCommand = null,
        IList<InputFile>? files = null) => TargetDefaults.Settings with
        {
            ProjectDirectory = project.Directory,
            ProjectName = projectName,
            Files = files ?? [project.Source("app.py", TestProject.FlaskApp), project.Source("main.py")],
            PythonRequirement = ["flask", "gunicorn"],
            PythonWsgiApp = wsgiApp,
            PythonScript = script,
            PythonModule = module,
            PythonAsgiApp = asgiApp,
            ContainerBaseImage = baseImage,
            ContainerBuilderImage = builderImage,
            ContainerUser = user ?? TargetDefaults.Settings.ContainerUser,
            ContainerWorkingDirectory = workingDirectory ?? TargetDefaults.Settings.ContainerWorkingDirectory,
            PythonPackageIndexUrl = indexUrl,
            PythonExtraPackageIndexUrl = extraIndexUrl,
            Generator = generator,
            PythonVersion = pythonVersion,
            PythonDjangoSettingsModule = djangoSettingsModule,
            ContainerHealthCheckPath = healthCheckPath,
            PythonWsgiServer = wsgiServer ?? TargetDefaults.Settings.PythonWsgiServer,
            ContainerAppCommand = appCommand ?? [],
        };

    private static PythonAppSettings With(PythonAppSettings settings, Action<PythonAppSettings> change)
    {
        change(settings);
        return settings;
    }

    private static readonly Dictionary<string, Target> Targets = new()
    {
        ["ContainerEnvironmentVariable name"] = new("GREETING", (p, v) => With(App(p), s => s.ContainerEnvironmentVariable.Add(new(v, "hello"))),
            (v, g) => Assert.Contains(new KeyValuePair<string, string>(v, "hello"), g.Pairs("ENV"))),
        ["ContainerEnvironmentVariable Value"] = new("hello", (p, v) => With(App(p), s => s.ContainerEnvironmentVariable.Add(new("GREETING", v))),
            (v, g) => Assert.Contains(new KeyValuePair<string, string>("GREETING", v), g.Pairs("ENV"))),
        ["ContainerLabel key"] = new("com.example.team", (p, v) => With(App(p), s => s.ContainerLabel.Add(new(v, "web"))),
            (v, g) => Assert.Contains(new KeyValuePair<string, string>(v, "web"), g.Pairs("LABEL"))),
        ["ContainerLabel Value"] = new("web", (p, v) => With(App(p), s => s.ContainerLabel.Add(new("com.example.team", v))),
            (v, g) => Assert.Contains(new KeyValuePair<string, string>("com.example.team", v), g.Pairs("LABEL"))),
        ["ContainerUser"] = new("app", (p, v) => App(p, user: v),
            (v, g) => Assert.Equal(v.Trim(), g.Instructions.Last(i => i.Keyword == "USER").Arguments)),
        ["ContainerWorkingDirectory"] = new("/srv", (p, v) => App(p, workingDirectory: v),
            (v, g) => Assert.Equal(v.Trim().TrimEnd('/'), g.Instructions.Single(i => i.Keyword == "WORKDIR").Arguments)),
        ["PythonWsgiApp"] = new("app:app", (p, v) => App(p, wsgiApp: v),
            (v, g) => Assert.Contains(g.Cmd, a => a.Contains(v.Trim(), StringComparison.Ordinal))),
        ["PythonAsgiApp"] = new("app:app", (p, v) => App(p, wsgiApp: null, asgiApp: v),
            (v, g) => Assert.Contains(g.Cmd, a => a.Contains(v.Trim(), StringComparison.Ordinal))),
        ["PythonWsgiServer"] = new("waitress", (p, v) => App(p, wsgiServer: v)),
        ["PythonDjangoSettingsModule"] = new("site.settings", (p, v) => App(p, djangoSettingsModule: v),
            (v, g) => Assert.Contains(new KeyValuePair<string, string>("DJANGO_SETTINGS_MODULE", v.Trim()), g.Pairs("ENV"))),
        ["PythonScript"] = new("main.py", (p, v) => App(p, wsgiApp: null, script: v, files: [p.Source("main.py"), .. ScriptFile(p, v)]),
            (v, g) => Assert.Equal(["python3", v.Trim().Replace('\\', '/')], g.Cmd)),
        ["PythonModule"] = new("app", (p, v) => App(p, wsgiApp: null, module: v),
            (v, g) => Assert.Equal(["python3", "-m", v.Trim()], g.Cmd)),
        ["ContainerAppCommand"] = new("serve", (p, v) => App(p, wsgiApp: null, appCommand: ["python3", v, "--flag=" + v]),
            (v, g) => Assert.Equal(["python3", v, "--flag=" + v], g.Cmd)),
        ["ContainerBuildPackage"] = new("libpq-dev", (p, v) => With(App(p), s => s.ContainerBuildPackage.Add(v)),
            (v, g) => Assert.Contains(g.Instructions, i => i.Keyword == "RUN" && i.Arguments.Split(' ').Contains(v))),
        ["ContainerRuntimePackage"] = new("libpq5", (p, v) => With(App(p), s => s.ContainerRuntimePackage.Add(v)),
            (v, g) => Assert.Contains(g.Instructions, i => i.Keyword == "RUN" && i.Arguments.Split(' ').Contains(v))),
        ["PythonRequirement"] = new("requests", (p, v) => With(App(p), s => s.PythonRequirement.Add(v)),
            (v, g) => Assert.Contains(v.Trim(), g.Context.Requirements!.Split('\n'))),
        ["PythonRequirementsFile line"] = new("requests", (p, v) => With(App(p), s => s.PythonRequirementsFile.Add(p.Write("hostile.txt", v + "\n"))),
            (v, g) => Assert.Contains(v.Trim().TrimEnd('\\'), g.Context.Requirements!.Split('\n'))),
        ["pyproject.toml dependency"] = new("requests", (p, v) => PyProject(p, dependency: v),
            (v, g) => Assert.Contains(v.Trim(), g.Context.Requirements!.Split('\n'))),
        ["pyproject.toml build requirement"] = new("setuptools>=61", (p, v) => PyProject(p, buildRequirement: v),
            (v, g) => Assert.Contains(v.Trim(), g.Context.BuildRequirements!.Split('\n'))),
        ["ContainerBaseImage"] = new("python:3.11-slim", (p, v) => App(p, baseImage: v),
            (v, g) => Assert.Contains(g.Instructions, i => i.Keyword == "FROM" && i.Arguments == v.Trim() + " AS runner")),
        ["ContainerBuilderImage"] = new("python:3.11", (p, v) => App(p, builderImage: v),
            (v, g) => Assert.Contains(g.Instructions, i => i.Keyword == "FROM" && i.Arguments == v.Trim() + " AS builder")),
        ["PythonVersion"] = new("3.11", (p, v) => App(p, pythonVersion: v)),
        ["PythonPackageIndexUrl"] = new("https://pypi.example.com/simple", (p, v) => App(p, indexUrl: v),
            (v, g) => Assert.Equal((g.App.PackageIndexUrl, false), (v.Trim(), g.Context.Dockerfile.Contains(v.Trim(), StringComparison.Ordinal)))),
        ["PythonExtraPackageIndexUrl"] = new("https://pypi.example.com/simple", (p, v) => App(p, extraIndexUrl: v),
            (v, g) => Assert.Equal((g.App.ExtraPackageIndexUrl, false), (v.Trim(), g.Context.Dockerfile.Contains(v.Trim(), StringComparison.Ordinal)))),
        ["ContainerHealthCheckPath"] = new("/healthz", (p, v) => App(p, healthCheckPath: v)),
        ["ContainerPort"] = new("8080", (p, v) => With(App(p), s => s.ContainerPort.Add(new(v, "tcp")))),
        ["ContainerPort Type"] = new("udp", (p, v) => With(App(p), s => s.ContainerPort.Add(new("8080", v)))),
        ["Link"] = new("lib/x.py", (p, v) => App(p, files: [p.Source("app.py", TestProject.FlaskApp), new InputFile("PythonSource", p.Write("x.py", ""), v)]),
            (v, g) => Assert.Contains(GeneratedContext.AppContextDirectory + "/" + v.Replace('\\', '/'), ContextEntries(g))),
        ["ContainerWritableDirectory"] = new("instance", (p, v) => With(App(p), s => s.ContainerWritableDirectory.Add(new(v))),
            (v, g) => Assert.Contains(g.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("mkdir -p /app/" + string.Join("/", v.Trim().Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal))),
        ["ContainerWritableDirectory Volume"] = new("true", (p, v) => With(App(p), s => s.ContainerWritableDirectory.Add(new("instance", v)))),
        ["ContainerStartupStep name"] = new("init-db", (p, v) => With(App(p), s => s.ContainerStartupStep.Add(new(v, ["flask", "init-db"]))),
            (v, g) => Assert.Contains($"pycontainer_step '{v.Trim()}' 'flask' 'init-db'\n", g.Context.EntrypointScript, StringComparison.Ordinal)),
        ["ContainerStartupStep argument"] = new("init-db", (p, v) => With(App(p), s => s.ContainerStartupStep.Add(new("init-db", ["flask", v]))),
            (v, g) => Assert.Contains($"pycontainer_step 'init-db' 'flask' {EntrypointScript.Quote(v)}\n", g.Context.EntrypointScript, StringComparison.Ordinal)),
        ["ProjectName"] = new("hostile", (p, v) => App(p, projectName: v), (v, g) => AssertInHeaderComment(v, g)),
        ["Generator"] = new("PyContainer 1.0", (p, v) => App(p, generator: v), (v, g) => AssertInHeaderComment(v, g)),
    };

    /// <summary>What a target does with a value other than its benign one.</summary>
    private enum Outcome
    {
        /// <summary>Refused with the target's one code.</summary>
        Refused,

        /// <summary>Accepted and rendered as that value: the target's check asserts where it landed.</summary>
        Rendered,

        /// <summary>The benign value with a line break after it: trimmed, the output is the benign value's, byte for byte.</summary>
        SameAsBenign,

        /// <summary>Whitespace only: taken as not set, the output is the unset property's, byte for byte.</summary>
        SameAsUnset,
    }

    /// <summary>Each target's one refusal code and which values it accepts, decided per target (benign, value).</summary>
    private sealed record Expectation(string Code, Func<string, string, Outcome> Of);

    private static Outcome TrimmedOnly(string benign, string value) => value == benign + "\n" ? Outcome.SameAsBenign : Outcome.Refused;

    private static Outcome TrimmedOrUnset(string benign, string value) => value.Trim().Length == 0 ? Outcome.SameAsUnset : TrimmedOnly(benign, value);

    private static Outcome NoControlCharacter(string benign, string value) => value.Any(char.IsControl) ? Outcome.Refused : Outcome.Rendered;

    /// <summary>One token (nothing to split a command line or a URL at), once the ends are trimmed.</summary>
    private static bool IsToken(string value) => value.Trim().Length > 0 && !value.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private static readonly Dictionary<string, Expectation> Expected = new()
    {
        ["ContainerEnvironmentVariable name"] = new(Errors.InvalidEnvironmentVariable, (_, _) => Outcome.Refused),
        ["ContainerEnvironmentVariable Value"] = new(Errors.InvalidEnvironmentVariable, NoControlCharacter),
        ["ContainerLabel key"] = new(Errors.InvalidLabel, (_, _) => Outcome.Refused),
        ["ContainerLabel Value"] = new(Errors.InvalidLabel, NoControlCharacter),
        ["ContainerUser"] = new(Errors.InvalidUser, TrimmedOnly),
        ["ContainerWorkingDirectory"] = new(Errors.InvalidWorkingDirectory, TrimmedOnly),
        ["PythonWsgiApp"] = new(Errors.InvalidPropertyValue, TrimmedOrUnset),
        ["PythonAsgiApp"] = new(Errors.InvalidPropertyValue, TrimmedOrUnset),
        ["PythonWsgiServer"] = new(Errors.InvalidPropertyValue, TrimmedOnly),
        ["PythonDjangoSettingsModule"] = new(Errors.InvalidPropertyValue, TrimmedOrUnset),
        // Whitespace only is "not set", and then the app has no entry point at all: PYC1002, not PYC1015.
        ["PythonScript"] = new(Errors.InvalidPropertyValue, TrimmedOnly),
        ["PythonModule"] = new(Errors.InvalidPropertyValue, TrimmedOrUnset),
        ["ContainerAppCommand"] = new(Errors.InvalidPropertyValue, (_, _) => Outcome.Rendered),
        ["ContainerBuildPackage"] = new(Errors.InvalidOsPackage, (_, _) => Outcome.Refused),
        ["ContainerRuntimePackage"] = new(Errors.InvalidOsPackage, (_, _) => Outcome.Refused),
        ["PythonRequirement"] = new(Errors.InvalidRequirement, TrimmedOnly),
        // A file's line: blank and comment lines are pip's own; a trailing backslash joins the (empty) next line.
        ["PythonRequirementsFile line"] = new(Errors.InvalidRequirement, (b, v) =>
            v.Trim().Length == 0 || v == "#comment" ? Outcome.SameAsUnset : v is "ends\\" or "requestsends\\" ? Outcome.Rendered : TrimmedOnly(b, v)),
        ["pyproject.toml dependency"] = new(Errors.InvalidRequirement, TrimmedOnly),
        ["pyproject.toml build requirement"] = new(Errors.InvalidRequirement, TrimmedOnly),
        ["ContainerBaseImage"] = new(Errors.InvalidImageReference, TrimmedOrUnset),
        ["ContainerBuilderImage"] = new(Errors.InvalidImageReference, TrimmedOrUnset),
        ["PythonVersion"] = new(Errors.InvalidPythonVersion, TrimmedOrUnset),
        // A URL of the benign index with anything appended that stays one token (pip gets it as one argument).
        ["PythonPackageIndexUrl"] = new(Errors.InvalidIndexUrl, (b, v) => v.Trim().Length == 0 ? Outcome.SameAsUnset : v.StartsWith(b, StringComparison.Ordinal) && IsToken(v) ? Outcome.Rendered : Outcome.Refused),
        ["PythonExtraPackageIndexUrl"] = new(Errors.InvalidIndexUrl, (b, v) => v.Trim().Length == 0 ? Outcome.SameAsUnset : v.StartsWith(b, StringComparison.Ordinal) && IsToken(v) ? Outcome.Rendered : Outcome.Refused),
        ["ContainerHealthCheckPath"] = new(Errors.InvalidPropertyValue, TrimmedOrUnset),
        ["ContainerPort"] = new(Errors.InvalidPort, TrimmedOnly),
        ["ContainerPort Type"] = new(Errors.InvalidPort, TrimmedOrUnset),
        // A path inside the app: no control character, and not a folder (a trailing backslash is a trailing '/').
        ["Link"] = new(Errors.SourceOutsideProject, (b, v) => v.Trim().Length == 0 ? Outcome.SameAsUnset : v.Any(char.IsControl) || v.EndsWith('\\') ? Outcome.Refused : Outcome.Rendered),
        // Folder names of ASCII letters, '\\' read as '/'.
        ["ContainerWritableDirectory"] = new(Errors.InvalidWritableDirectory, (b, v) =>
            v == b + "\n" ? Outcome.SameAsBenign : v.TrimEnd(' ').Length > 0 && v.TrimEnd(' ').All(c => char.IsAsciiLetter(c) || c == '\\') ? Outcome.Rendered : Outcome.Refused),
        ["ContainerWritableDirectory Volume"] = new(Errors.InvalidWritableDirectory, TrimmedOrUnset),
        ["ContainerStartupStep name"] = new(Errors.InvalidStartupStep, TrimmedOnly),
        ["ContainerStartupStep argument"] = new(Errors.InvalidStartupStep, NoControlCharacter),
        ["ProjectName"] = new("", (_, _) => Outcome.Rendered),
        ["Generator"] = new("", (_, _) => Outcome.Rendered),
    };

    /// <summary>A pyproject.toml project with one static dependency and one build requirement, as TOML basic strings.</summary>
    private static PythonAppSettings PyProject(TestProject project, string dependency = "six", string buildRequirement = "setuptools")
    {
        string toml = $"[build-system]\nrequires = [{TomlString(buildRequirement)}]\n\n"
            + $"[project]\nname = \"hostile\"\nversion = \"1.0\"\ndependencies = [{TomlString(dependency)}]\n";
        InputFile pyproject = new("PythonContent", project.Write("pyproject.toml", toml));
        return App(project, files: [project.Source("app.py", TestProject.FlaskApp), pyproject]) with { PythonProjectDirectory = "." };
    }

    private static string TomlString(string value)
    {
        var toml = new StringBuilder("\"");
        foreach (char c in value)
        {
            toml.Append(c is '"' or '\\' ? "\\" + c : char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return toml.Append('"').ToString();
    }

    /// <summary>The script's file, when the file system can hold its name, so that "no such source" cannot hide a problem.</summary>
    private static InputFile[] ScriptFile(TestProject project, string script)
    {
        string path = script.Trim();
        return path.Length == 0 || path.IndexOfAny(['/', '\\']) >= 0 || path.Any(char.IsControl) || path is "." or ".." || path == "main.py"
            ? []
            : [project.Source(path)];
    }

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach ((string target, Target t) in Targets)
        {
            foreach (string value in Hostile)
            {
                cases.Add(target, value);
                // After a valid value: patterns anchored with '$' accept a final '\n' behind a valid prefix.
                cases.Add(target, t.Benign + value);
            }
        }

        return cases;
    }

    public static TheoryData<string> TargetNames() => [.. Targets.Keys];

    [Fact]
    public void Every_target_has_an_expectation_and_every_rendered_one_a_check()
    {
        Assert.Equal(Targets.Keys.Order(StringComparer.Ordinal), Expected.Keys.Order(StringComparer.Ordinal));
        foreach ((string target, Expectation expectation) in Expected)
        {
            bool rendersSomething = Hostile.Any(v => expectation.Of(Targets[target].Benign, v) == Outcome.Rendered || expectation.Of(Targets[target].Benign, Targets[target].Benign + v) == Outcome.Rendered);
            Assert.True(!rendersSomething || Targets[target].Check is not null, $"{target} accepts values as they are but checks none of them");
        }
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Benign_values_are_accepted_and_land_where_they_belong(string target)
    {
        Target t = Targets[target];

        Generated generated = Generate(t.Settings(_project, t.Benign));

        t.Check?.Invoke(t.Benign, generated);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_value_is_refused_with_its_targets_code_or_lands_verbatim_in_its_own_instruction(string target, string value)
    {
        Target t = Targets[target];
        PythonAppSettings settings = t.Settings(_project, value);
        Outcome expected = Expected[target].Of(t.Benign, value);
        if (expected == Outcome.Refused)
        {
            string code = target == "PythonScript" && value.Trim().Length == 0 ? Errors.NoEntryPoint : Expected[target].Code;
            Assert.Equal(code, Assert.Throws<PyContainerException>(() => PythonAppResolver.Resolve(settings)).Code);
            return;
        }

        Generated generated = Generate(PythonAppResolver.Resolve(settings));
        AssertContextHoldsWhatWasGenerated(generated);
        if (expected is Outcome.SameAsBenign or Outcome.SameAsUnset)
        {
            using var referenceProject = new TestProject();
            Generated reference = Generate(t.Settings(referenceProject, expected == Outcome.SameAsBenign ? t.Benign : ""));
            Assert.Equal(reference.Context.Dockerfile, generated.Context.Dockerfile);
            Assert.Equal(reference.Context.Requirements, generated.Context.Requirements);
            Assert.Equal(reference.Context.EntrypointScript, generated.Context.EntrypointScript);
            return;
        }

        using var baselineProject = new TestProject();
        Generated baseline = Generate(t.Settings(baselineProject, t.Benign));

        // The value started no instruction: the same instructions, in the same order, as with a benign value.
        Assert.Equal(baseline.Instructions.Select(i => i.Keyword), generated.Instructions.Select(i => i.Keyword));
        foreach (string line in generated.Context.Dockerfile.Split('\n'))
        {
            Assert.DoesNotMatch(InjectedInstruction(), line);
        }

        // Every quoted value still decodes (DecodePairs fails on a broken quote or an unescaped '$').
        _ = generated.Pairs("ENV").Count() + generated.Pairs("LABEL").Count();
        _ = generated.Cmd;
        Assert.DoesNotContain('\r', generated.Context.Dockerfile);
        Assert.NotNull(t.Check);
        t.Check(value, generated);
    }

    /// <summary>The value, each run of it between control characters and line separators, in the Dockerfile's first comment and nowhere else.</summary>
    private static void AssertInHeaderComment(string value, Generated generated)
    {
        string[] lines = generated.Context.Dockerfile.Split('\n');
        string header = string.Join('\n', lines.TakeWhile(l => l.StartsWith('#')));
        Assert.All(Regex.Split(value, @"[\p{C}\p{Zl}\p{Zp}]+").Select(p => p.Trim()).Where(p => p.Length > 0), part => Assert.Contains(part, header, StringComparison.Ordinal));
        Assert.All(lines.SkipWhile(l => l.StartsWith('#')).Where(l => l.Length > 0), l => Assert.False(l.StartsWith('#') && l.Contains("Generated by", StringComparison.Ordinal), l));
    }

    /// <summary>The names of the build context's entries.</summary>
    private static List<string> ContextEntries(Generated generated)
    {
        using var tar = new MemoryStream();
        BuildContext.For(generated.App, generated.Context).WriteTar(tar);
        tar.Position = 0;
        var names = new List<string>();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    /// <summary>
    /// The engine reads the Dockerfile from the context and pip reads the requirements from it: their bytes must
    /// say what was generated, split into lines the way those readers split them.
    /// </summary>
    private static void AssertContextHoldsWhatWasGenerated(Generated generated)
    {
        BuildContext context = BuildContext.For(generated.App, generated.Context);
        using var tar = new MemoryStream();
        context.WriteTar(tar);
        tar.Position = 0;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = new TarReader(tar))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (!entry.Name.StartsWith(GeneratedContext.AppContextDirectory + "/", StringComparison.Ordinal))
                {
                    using var content = new StreamReader(entry.DataStream!, Encoding.UTF8);
                    texts.Add(entry.Name, content.ReadToEnd());
                }
            }
        }

        Assert.Equal(generated.Context.Dockerfile, texts["Dockerfile"]);
        if (texts.TryGetValue(GeneratedContext.RequirementsContextPath, out string? requirements))
        {
            // pip reads requirements with Python's str.splitlines, which breaks at more than '\n'.
            List<string> lines = PythonLineBreak().Split(requirements).ToList();
            Assert.Equal("", lines[^1]);
            Assert.Equal(InstallStrategySteps.For(generated.App, generated.App.BuildKit).RequirementLines, lines[..^1]);
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith('-'));
        }
    }

    private static Generated Generate(PythonAppSettings settings) => Generate(PythonAppResolver.Resolve(settings));

    private static Generated Generate(PythonApp app)
    {
        GeneratedContext context = DockerfileGenerator.Generate(app);
        return new Generated(app, context, DockerfileText.Parse(context.Dockerfile));
    }

    [GeneratedRegex("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")]
    private static partial Regex PythonLineBreak();

    /// <summary>What the hostile values would start if a line break got through.</summary>
    [GeneratedRegex(@"^\s*RUN (rm|id)\b")]
    private static partial Regex InjectedInstruction();
}
