using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PyContainer.Tests.TestSupport;

/// <summary>One instruction, its continuation lines joined the way BuildKit joins them.</summary>
internal sealed record Instruction(string Keyword, string Arguments, int Line);

/// <summary>
/// Reads a generated Dockerfile the way BuildKit's parser splits it (lines on '\n', a trailing '\' continues,
/// comments and blank lines are skipped, even inside a continuation) and decodes the quoting DockerfileWriter uses.
/// </summary>
internal static partial class DockerfileText
{
    /// <summary>Every instruction keyword the generator writes; anything else at the start of a line is an injection.</summary>
    public static readonly IReadOnlySet<string> GeneratedKeywords =
        new HashSet<string>(StringComparer.Ordinal) { "FROM", "ARG", "ENV", "RUN", "COPY", "WORKDIR", "LABEL", "EXPOSE", "VOLUME", "USER", "HEALTHCHECK", "ENTRYPOINT", "CMD" };

    // BuildKit also counts blanks after the escape character as a continuation.
    [GeneratedRegex(@"\\[ \t]*\z")]
    private static partial Regex ContinuationPattern();

    public static List<Instruction> Parse(string dockerfile)
    {
        string[] lines = dockerfile.Split('\n');
        var instructions = new List<Instruction>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (IsBlankOrComment(lines[i]))
            {
                continue;
            }

            int start = i;
            string line = lines[i];
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string keyword = space < 0 ? line : line[..space];
            Assert.True(
                GeneratedKeywords.Contains(keyword),
                $"Line {i + 1} starts no instruction the generator writes: '{line}'.\n--- Dockerfile ---\n{dockerfile}");

            string text = line[keyword.Length..];
            while (ContinuationPattern().Match(text) is { Success: true } continuation)
            {
                text = text[..continuation.Index];
                do
                {
                    i++;
                }
                while (i < lines.Length && IsBlankOrComment(lines[i]));

                if (i == lines.Length)
                {
                    break;
                }

                text += lines[i];
            }

            instructions.Add(new Instruction(keyword, text.Trim(), start + 1));
        }

        return instructions;
    }

    private static bool IsBlankOrComment(string line) => line.Trim().Length == 0 || line.TrimStart().StartsWith('#');

    /// <summary>
    /// The KEY="value" pairs of an ENV or LABEL instruction, each value decoded as BuildKit's lexer decodes a
    /// double-quoted word: '\' before '"', '\' or '$' yields that character, any other '\' stays. An unescaped
    /// '$' (a variable BuildKit would expand) fails unless <paramref name="allowExpansion"/>.
    /// </summary>
    public static List<KeyValuePair<string, string>> DecodePairs(string arguments, bool allowExpansion = false)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        int i = 0;
        while (true)
        {
            while (i < arguments.Length && char.IsWhiteSpace(arguments[i]))
            {
                i++;
            }

            if (i == arguments.Length)
            {
                return pairs;
            }

            int equals = arguments.IndexOf('=', i);
            Assert.True(equals > i, $"No KEY= at offset {i} of '{arguments}'.");
            string key = arguments[i..equals];
            Assert.DoesNotContain(key, char.IsWhiteSpace);
            i = equals + 1;
            Assert.True(i < arguments.Length && arguments[i] == '"', $"The value of {key} is not double-quoted in '{arguments}'.");
            i++;
            var value = new StringBuilder();
            while (true)
            {
                Assert.True(i < arguments.Length, $"The value of {key} is not terminated in '{arguments}'.");
                char c = arguments[i++];
                if (c == '"')
                {
                    break;
                }

                if (c == '\\' && i < arguments.Length && arguments[i] is '"' or '\\' or '$')
                {
                    value.Append(arguments[i++]);
                    continue;
                }

                Assert.True(c != '$' || allowExpansion, $"The value of {key} expands a variable: '{arguments}'.");
                value.Append(c);
            }

            Assert.True(i == arguments.Length || char.IsWhiteSpace(arguments[i]), $"Text follows the closing quote of {key} in '{arguments}'.");
            pairs.Add(new(key, value.ToString()));
        }
    }

    /// <summary>The exec-form (JSON array) arguments of CMD, or a failure if it is in shell form.</summary>
    public static string[] DecodeExecForm(string arguments)
    {
        Assert.StartsWith("[", arguments, StringComparison.Ordinal);
        return JsonSerializer.Deserialize<string[]>(arguments) ?? throw new InvalidOperationException("null JSON array");
    }
}
