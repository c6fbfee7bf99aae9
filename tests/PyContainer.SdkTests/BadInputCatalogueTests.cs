using System.Text.RegularExpressions;

namespace PyContainer.SdkTests;

/// <summary>
/// docs/bad-input.md against the tests: every row names a test method that exists (text search of tests/**/*.cs,
/// which covers the end-to-end assembly this project does not reference) and a code the catalogue has.
/// </summary>
public sealed partial class BadInputCatalogueTests
{
    private static readonly string RepoRoot = DocsDriftTests.RepoRoot;

    // | input | PYCnnnn[ / PYCnnnn] | excerpt | `Class.Method` |
    [GeneratedRegex(@"^\|(?<input>[^|]+)\|\s*(?<codes>PYC\d{4}(?:\s*/\s*PYC\d{4})*)\s*\|(?<message>[^|]+)\|\s*`(?<class>[A-Za-z_][A-Za-z0-9_]*)\.(?<method>[A-Za-z_][A-Za-z0-9_]*)`\s*\|\s*$")]
    private static partial Regex Row();

    [GeneratedRegex(@"PYC\d{4}")]
    private static partial Regex Code();

    [Fact]
    public void Every_row_names_a_test_method_that_exists_and_a_catalogued_code()
    {
        List<Match> rows = CatalogueRows();
        string[] sources = Directory.GetFiles(Path.Combine(RepoRoot, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToArray();
        string errors = File.ReadAllText(Path.Combine(RepoRoot, "src", "PyContainer.Core", "Diagnostics", "Errors.cs"));

        var problems = new List<string>();
        foreach (Match row in rows)
        {
            string type = row.Groups["class"].Value;
            string method = row.Groups["method"].Value;
            var declaration = new Regex($@"\b(void|Task)\s+{Regex.Escape(method)}\s*\(");
            if (!sources.Any(s => Regex.IsMatch(s, $@"\bclass\s+{Regex.Escape(type)}\b") && declaration.IsMatch(s)))
            {
                problems.Add($"{type}.{method}: no such test method");
            }

            problems.AddRange(Code().Matches(row.Groups["codes"].Value)
                .Where(c => !errors.Contains($"\"{c.Value}\"", StringComparison.Ordinal))
                .Select(c => $"{type}.{method}: {c.Value} is not in Errors.cs"));
        }

        Assert.True(problems.Count == 0, "docs/bad-input.md drifted from the tests:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_catalogue_has_at_least_30_rows_and_every_table_row_parses()
    {
        string[] tableRows = CatalogueLines().Where(l => l.StartsWith('|') && !l.StartsWith("| Input", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal)).ToArray();

        // A row the pattern does not read would escape the check above.
        Assert.All(tableRows, l => Assert.Matches(Row(), l));
        Assert.True(tableRows.Length >= 30, $"docs/bad-input.md has {tableRows.Length} rows; the catalogue needs at least 30.");
    }

    private static string[] CatalogueLines() => File.ReadAllLines(Path.Combine(RepoRoot, "docs", "bad-input.md"));

    private static List<Match> CatalogueRows() => CatalogueLines().Select(l => Row().Match(l)).Where(m => m.Success).ToList();
}
