using System.Globalization;
using System.Reflection;
using System.Text;

namespace PyContainer.Tests.TestSupport;

/// <summary>
/// Compares generated text with a file under Golden/. With PYCONTAINER_UPDATE_GOLDEN=1 the file in the source
/// tree is rewritten from the actual text instead (review the git diff before committing it).
/// </summary>
internal static class Golden
{
    public const string UpdateVariable = "PYCONTAINER_UPDATE_GOLDEN";

    public static void AssertMatches(string name, string actual)
    {
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            // The output copy too, so that a second run without the variable passes before the next build.
            foreach (string directory in new[] { SourceDirectory, Path.Combine(AppContext.BaseDirectory, "Golden") })
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(Path.Combine(directory, name), actual);
            }

            return;
        }

        string path = Path.Combine(AppContext.BaseDirectory, "Golden", name);
        if (!File.Exists(path))
        {
            Assert.Fail($"Golden file '{name}' does not exist. Run the tests with {UpdateVariable}=1 to write it from this output:\n{actual}");
        }

        // Normalize only the expected side: a checkout may have CRLF, the generator must not.
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            Assert.Fail(
                $"Generated text differs from Golden/{name} ('-' golden, '+' actual). If the change is intended, run the tests "
                + $"with {UpdateVariable}=1 and review the diff of {Path.Combine(SourceDirectory, name)}.\n"
                + Diff(expected, actual));
        }
    }

    /// <summary>The test project's Golden folder in the source tree, recorded at build time.</summary>
    private static string SourceDirectory =>
        typeof(Golden).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GoldenSourceDirectory")?.Value
        ?? throw new InvalidOperationException("The test assembly lacks its GoldenSourceDirectory metadata.");

    /// <summary>A line diff by longest common subsequence; Dockerfiles are short enough for the quadratic table.</summary>
    internal static string Diff(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int[,] lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var diff = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                diff.Append("  ").Append(Visible(a[x])).Append('\n');
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                diff.Append(CultureInfo.InvariantCulture, $"- {Visible(a[x])}   (golden line {x + 1})\n");
                x++;
            }
            else
            {
                diff.Append(CultureInfo.InvariantCulture, $"+ {Visible(b[y])}   (actual line {y + 1})\n");
                y++;
            }
        }

        return diff.ToString();
    }

    /// <summary>Shows what would otherwise be invisible in a diff: trailing blanks, tabs, carriage returns.</summary>
    private static string Visible(string line) =>
        line.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal)
        + (line.Length > 0 && char.IsWhiteSpace(line[^1]) ? "<-- trailing white space" : "");
}
