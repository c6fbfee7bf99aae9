using System.Text;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>
/// The hadolint rules of ../shared/notes/anchors.md, checked on every golden Dockerfile. hadolint itself is not
/// installable here (no Debian package), so the rules are re-implemented over <see cref="DockerfileText"/>,
/// following hadolint's own definitions (src/Hadolint/Rule/DLnnnn.hs).
/// DL3008/DL3018 (pin apt/apk versions) are a deliberate deviation: package versions differ per base image and
/// a pinned version disappears from the mirrors, so the check reports them and the golden test tolerates them
/// (docs/reference.md, "Generated Dockerfile and hadolint").
/// </summary>
public sealed class HadolintRuleTests
{
    private static readonly HashSet<string> DeliberateDeviations = new(StringComparer.Ordinal) { "DL3008", "DL3018" };

    public static TheoryData<string> GoldenDockerfiles()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.Dockerfile").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void There_are_golden_Dockerfiles_to_check() => Assert.True(GoldenDockerfiles().Count >= 6);

    [Theory]
    [MemberData(nameof(GoldenDockerfiles))]
    public void Golden_Dockerfile_passes_the_hadolint_rules(string name)
    {
        string dockerfile = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name));

        var findings = Check(dockerfile).Where(f => !DeliberateDeviations.Contains(f.Rule)).ToList();

        Assert.True(findings.Count == 0, $"{name} breaks hadolint rules:\n" + string.Join('\n', findings) + "\n--- Dockerfile ---\n" + dockerfile);
    }

    [Theory]
    [InlineData("FROM a\nRUN pip install flask\nUSER 1\nCMD [\"x\"]\n", "DL3042")]
    [InlineData("FROM a\nRUN python3 -m pip install flask && true\nUSER 1\nCMD [\"x\"]\n", "DL3042")]
    [InlineData("FROM a\nRUN apt-get install -y libpq5\nUSER 1\nCMD [\"x\"]\n", "DL3015")]
    [InlineData("FROM a\nRUN apt-get install -y --no-install-recommends libpq5\nUSER 1\nCMD [\"x\"]\n", "DL3008")]
    [InlineData("FROM a\nRUN apk add --no-cache libpq\nUSER 1\nCMD [\"x\"]\n", "DL3018")]
    [InlineData("FROM a\nRUN echo a\nRUN echo b\nUSER 1\nCMD [\"x\"]\n", "DL3059")]
    [InlineData("FROM a\nUSER 1\nCMD x\n", "DL3025")]
    [InlineData("FROM a\nUSER 1\nENTRYPOINT sh -c x\n", "DL3025")]
    [InlineData("FROM a\nUSER root\nCMD [\"x\"]\n", "DL3002")]
    [InlineData("FROM a\nUSER 0:0\nCMD [\"x\"]\n", "DL3002")]
    [InlineData("FROM a\nRUN cat x | grep y\nUSER 1\nCMD [\"x\"]\n", "DL4006")]
    public void Each_rule_fires_on_a_Dockerfile_that_breaks_it(string dockerfile, string rule)
    {
        Assert.Contains(Check(dockerfile), f => f.Rule == rule);
    }

    [Theory]
    [InlineData("FROM a\nRUN pip install --no-cache-dir flask\nUSER 1\nCMD [\"x\"]\n")]
    [InlineData("FROM a\nENV PIP_NO_CACHE_DIR=\"1\"\nRUN pip install flask\nUSER 1\nCMD [\"x\"]\n")]
    [InlineData("FROM a\nRUN pip wheel flask\nUSER 1\nCMD [\"x\"]\n")]
    [InlineData("FROM a\nRUN echo a\nCOPY [\"a\", \"b\"]\nRUN echo b\nUSER 1\nCMD [\"x\"]\n")]
    [InlineData("FROM a\nRUN --mount=type=cache,target=/c echo a\nRUN echo b\nUSER 1\nCMD [\"x\"]\n")]
    [InlineData("FROM a\nRUN a && b && c\nRUN d\nUSER 1\nCMD [\"x\"]\n")]
    [InlineData("FROM a\nRUN a || b\nUSER 10001\nCMD [\"x\"]\n")]
    public void Rules_stay_quiet_where_hadolint_does(string dockerfile)
    {
        Assert.Empty(Check(dockerfile));
    }

    internal sealed record Finding(string Rule, int Line, string Message)
    {
        public override string ToString() => $"line {Line}: {Rule} {Message}";
    }

    internal static List<Finding> Check(string dockerfile)
    {
        var findings = new List<Finding>();
        List<Instruction> instructions = DockerfileText.Parse(dockerfile);
        bool noCacheDirEnv = false;
        (string Flags, int Commands)? previousRun = null;
        string? lastUser = null;
        foreach (Instruction instruction in instructions)
        {
            switch (instruction.Keyword)
            {
                case "FROM":
                    // Rules are per stage: DL3002 looks at the final stage's last USER, DL3042 at the stage's ENV.
                    noCacheDirEnv = false;
                    lastUser = null;
                    break;
                case "ENV":
                    noCacheDirEnv |= DockerfileText.DecodePairs(instruction.Arguments, allowExpansion: true)
                        .Any(p => p.Key == "PIP_NO_CACHE_DIR");
                    break;
                case "USER":
                    lastUser = instruction.Arguments.Trim();
                    break;
                case "CMD" or "ENTRYPOINT" when !instruction.Arguments.StartsWith('['):
                    findings.Add(new("DL3025", instruction.Line, $"Use arguments JSON notation for {instruction.Keyword}."));
                    break;
                case "RUN":
                    (string flags, string script) = SplitRunFlags(instruction.Arguments);
                    List<(string Command, bool PipedInto)> commands = SplitCommands(script);
                    CheckRun(instruction.Line, commands, noCacheDirEnv, findings);
                    // DL3059: hadolint allows consecutive RUNs whose --mount flags differ or that chain more than 2 commands.
                    if (previousRun is { } previous && previous.Flags == flags && previous.Commands <= 2 && commands.Count <= 2)
                    {
                        findings.Add(new("DL3059", instruction.Line, "Multiple consecutive RUN instructions. Consider consolidation."));
                    }

                    previousRun = (flags, commands.Count);
                    continue;
            }

            previousRun = null;
        }

        if (lastUser is not null && lastUser.Split(':')[0] is "root" or "0")
        {
            findings.Add(new("DL3002", instructions.Last(i => i.Keyword == "USER").Line, "Last USER should not be root."));
        }

        return findings;
    }

    private static void CheckRun(int line, List<(string Command, bool PipedInto)> commands, bool noCacheDirEnv, List<Finding> findings)
    {
        if (commands.Any(c => c.PipedInto))
        {
            // The generator writes no SHELL instruction, so any pipe lacks `set -o pipefail`.
            findings.Add(new("DL4006", line, "Set the SHELL option -o pipefail before RUN with a pipe in it."));
        }

        foreach ((string command, _) in commands)
        {
            List<string> words = command.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .SkipWhile(w => w.Contains('=', StringComparison.Ordinal) && !w.StartsWith('-')) // VAR=value prefixes
                .ToList();
            if (words.Count == 0)
            {
                continue;
            }

            if (IsPipInstall(words) && !noCacheDirEnv && !words.Contains("--no-cache-dir"))
            {
                findings.Add(new("DL3042", line, "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`."));
            }

            if (words[0] == "apt-get" && words.Contains("install"))
            {
                if (!words.Contains("--no-install-recommends"))
                {
                    findings.Add(new("DL3015", line, "Avoid additional packages by specifying `--no-install-recommends`."));
                }

                if (Packages(words, "install").Any(p => !p.Contains('=', StringComparison.Ordinal)))
                {
                    findings.Add(new("DL3008", line, "Pin versions in apt get install."));
                }
            }

            if (words[0] == "apk" && words.Contains("add") && Packages(words, "add").Any(p => !p.Contains('=', StringComparison.Ordinal)))
            {
                findings.Add(new("DL3018", line, "Pin versions in apk add."));
            }
        }
    }

    /// <summary>`pip install`, `pip3 install`, `python3 -m pip install`, `/path/python -m pip install`; not pipx or pipenv.</summary>
    private static bool IsPipInstall(List<string> words)
    {
        string program = Path.GetFileName(words[0]);
        int install = words.IndexOf("install");
        if (install < 0)
        {
            return false;
        }

        bool pip = program.StartsWith("pip", StringComparison.Ordinal) && program is not ("pipx" or "pipenv");
        bool pythonModule = program.StartsWith("python", StringComparison.Ordinal) && words.IndexOf("-m") is >= 0 and var m
            && m + 1 < words.Count && words[m + 1] == "pip" && m + 1 < install;
        return pip || pythonModule;
    }

    private static IEnumerable<string> Packages(List<string> words, string verb) =>
        words.Skip(words.IndexOf(verb) + 1).Where(w => !w.StartsWith('-'));

    /// <summary>Leading `--mount=...`-style flags of a RUN, and the shell script after them.</summary>
    private static (string Flags, string Script) SplitRunFlags(string arguments)
    {
        var flags = new List<string>();
        string rest = arguments.TrimStart();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            int end = rest.IndexOfAny([' ', '\t']);
            flags.Add(end < 0 ? rest : rest[..end]);
            rest = end < 0 ? "" : rest[end..].TrimStart();
        }

        return (string.Join(' ', flags), rest);
    }

    /// <summary>The simple commands of a script, split at &&, ||, ;, | outside quotes; each notes whether a pipe feeds it.</summary>
    private static List<(string Command, bool PipedInto)> SplitCommands(string script)
    {
        var commands = new List<(string, bool)>();
        var current = new StringBuilder();
        char quote = '\0';
        bool piped = false;
        for (int i = 0; i < script.Length; i++)
        {
            char c = script[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
                current.Append(c);
                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                current.Append(c);
                continue;
            }

            bool twoChar = i + 1 < script.Length && ((c == '&' && script[i + 1] == '&') || (c == '|' && script[i + 1] == '|'));
            if (twoChar || c is ';' or '|')
            {
                Add(commands, current, piped);
                piped = !twoChar && c == '|';
                i += twoChar ? 1 : 0;
                continue;
            }

            current.Append(c);
        }

        Add(commands, current, piped);
        return commands;

        static void Add(List<(string, bool)> commands, StringBuilder current, bool piped)
        {
            if (current.ToString().Trim() is { Length: > 0 } command)
            {
                commands.Add((command, piped));
            }

            current.Clear();
        }
    }
}
