using System.Text.RegularExpressions;

namespace PyContainer.SdkTests;

/// <summary>
/// docs/bad-input.md against the tests' source (tests/**/*.cs, read as text): every input of a row is fed by its own
/// test case that holds the input, the row's code and the row's message excerpt; every data row of a theory the
/// catalogue names is the only case feeding one of its inputs, so deleting any data row fails this test.
/// </summary>
public sealed partial class BadInputCatalogueTests
{
    private const string RowNeeds = "A row is | prose with each verbatim input in `backticks` | PYCnnnn | prose with the asserted excerpt in one `code span` | `Class.Method` |. "
        + "Its test case is a [Fact]'s attributes and body, or one [InlineData] line or [MemberData] member line of a [Theory]; "
        + "that case holds the input as the C# source writes it (a \" may be written \\\" there), and the code (PYCnnnn or Errors.Name) "
        + "and the excerpt, in that data row or in the theory's body, which must assert them.";

    private static readonly string RepoRoot = DocsDriftTests.RepoRoot;

    [GeneratedRegex(@"^\|(?<input>[^|]+)\|\s*(?<code>PYC\d{4})\s*\|(?<excerpt>[^|]+)\|\s*`(?<class>[A-Za-z_]\w*)\.(?<method>[A-Za-z_]\w*)`\s*\|\s*$")]
    private static partial Regex Row();

    // A Markdown code span: a run of backticks, the text, the same run.
    [GeneratedRegex(@"(?<!`)(?<fence>`+)(?!`)(?<text>.+?)(?<!`)\k<fence>(?!`)")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"const\s+string\s+(?<name>\w+)\s*=\s*""(?<code>PYC\d{4})""")]
    private static partial Regex ErrorConstant();

    [Fact]
    public void Every_input_of_every_row_is_fed_by_its_own_test_case_asserting_the_rows_code_and_excerpt()
    {
        string[] sources = TestSources();
        var codes = ErrorConstant().Matches(File.ReadAllText(Path.Combine(RepoRoot, "src", "PyContainer.Core", "Diagnostics", "Errors.cs")))
            .GroupBy(m => m.Groups["code"].Value).ToDictionary(g => g.Key, g => g.Select(m => "Errors." + m.Groups["name"].Value).ToArray());
        var problems = new List<string>();
        var feeds = new List<(string Test, string Row, string Input)>();
        foreach ((int line, Match row) in CatalogueRows())
        {
            string test = $"{row.Groups["class"].Value}.{row.Groups["method"].Value}";
            string where = $"docs/bad-input.md line {line} ({test})";
            string code = row.Groups["code"].Value;
            string[] inputs = Spans(row.Groups["input"].Value);
            string[] excerpts = Spans(row.Groups["excerpt"].Value);
            TestMethodSource? method = TestMethodSource.Find(sources, row.Groups["class"].Value, row.Groups["method"].Value);
            if (!codes.TryGetValue(code, out string[]? names))
            {
                problems.Add($"{where}: {code} is not in Errors.cs");
                continue;
            }

            if (method is null || inputs.Length == 0 || excerpts.Length != 1)
            {
                problems.Add(method is null ? $"{where}: no such test method in tests/**/*.cs"
                    : inputs.Length == 0 ? $"{where}: the Input column has no `code span`; write the verbatim input in backticks"
                    : $"{where}: the excerpt column needs exactly one `code span`, the text the test asserts verbatim (it has {excerpts.Length})");
                continue;
            }

            var codeForms = new Regex($@"\b({code}|{string.Join('|', names.Select(Regex.Escape))})\b");
            bool Feeds(string data, string input) => Holds(data, input)
                && (codeForms.IsMatch(data) || (method.IsTheory && codeForms.IsMatch(method.Body)))
                && (Holds(data, excerpts[0]) || (method.IsTheory && Holds(method.Body, excerpts[0])));
            foreach (string input in inputs)
            {
                string[] cases = method.IsTheory ? [.. method.DataRows] : [method.Body];
                if (!cases.Any(c => Feeds(c, input)))
                {
                    problems.Add($"{where}: no test case feeds `{input}` and holds {code} and `{excerpts[0]}`. {RowNeeds}");
                }

                feeds.AddRange(cases.Where(c => method.IsTheory && Feeds(c, input)).Select(c => (test, c, $"{line}:{input}")));
            }
        }

        problems.AddRange(UnneededDataRows(sources, feeds));
        Assert.True(problems.Count == 0, "docs/bad-input.md and the tests disagree:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_catalogue_has_at_least_30_rows_and_every_table_row_parses()
    {
        string[] tableRows = CatalogueLines().Where(l => l.StartsWith('|') && !l.StartsWith("| Input", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal)).ToArray();

        // A row the pattern does not read would escape the check above.
        Assert.All(tableRows, l => Assert.True(Row().IsMatch(l), $"not a catalogue row: {l}\n{RowNeeds}"));
        Assert.True(tableRows.Length >= 30, $"docs/bad-input.md has {tableRows.Length} rows; the catalogue needs at least 30.");
    }

    /// <summary>Each data row of a theory the catalogue names must be the only row that feeds one catalogued input:
    /// otherwise deleting it fails nothing.</summary>
    private static IEnumerable<string> UnneededDataRows(string[] sources, List<(string Test, string Row, string Input)> feeds)
    {
        foreach (string test in feeds.Select(f => f.Test).Distinct())
        {
            string[] name = test.Split('.');
            TestMethodSource method = TestMethodSource.Find(sources, name[0], name[1])!;
            var feeding = feeds.Where(f => f.Test == test).ToList();
            foreach (string data in method.DataRows.Distinct())
            {
                bool alone = feeding.Where(f => f.Row == data).Any(f => feeding.Count(o => o.Input == f.Input) == 1);
                if (!alone)
                {
                    yield return $"{test}: deleting its data row {data} would fail no catalogue check: give it a row in docs/bad-input.md "
                        + "whose input (a `code span` only this data row holds) it feeds with that row's code and excerpt, or move it out of this theory.";
                }
            }
        }
    }

    /// <summary>A literal as written in the catalogue, or with '\' and '"' escaped as in a C# string.</summary>
    private static bool Holds(string source, string literal) =>
        source.Contains(literal, StringComparison.Ordinal)
        || source.Contains(literal.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal);

    private static string[] Spans(string cell) => CodeSpan().Matches(cell).Select(m => m.Groups["text"].Value)
        .Select(t => t.Length > 2 && t[0] == ' ' && t[^1] == ' ' && t.Trim().Length > 0 ? t[1..^1] : t).ToArray();

    private static string[] TestSources() => Directory.GetFiles(Path.Combine(RepoRoot, "tests"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Select(File.ReadAllText)
        .ToArray();

    private static string[] CatalogueLines() => File.ReadAllLines(Path.Combine(RepoRoot, "docs", "bad-input.md"));

    private static IEnumerable<(int Line, Match Row)> CatalogueRows() =>
        CatalogueLines().Select((l, i) => (i + 1, Row().Match(l))).Where(r => r.Item2.Success);
}
