using System.Text.RegularExpressions;

namespace PyContainer.Dockerfile;

/// <summary>
/// The images a Dockerfile builds FROM (not its own stages), with its global ARG defaults and the build arguments
/// substituted, as BuildKit resolves them: the images that must offer every platform asked for.
/// </summary>
public static partial class DockerfileBaseImages
{
    public static IReadOnlyList<string> Read(string dockerfile, IReadOnlyDictionary<string, string> buildArguments) =>
        [.. Parse(dockerfile, buildArguments).Select(f => f.Image).Distinct(StringComparer.Ordinal)];

    /// <summary>The image the stage <paramref name="stage"/> (runner) builds FROM, when that is an image rather than another stage.</summary>
    public static string? ImageOf(string dockerfile, IReadOnlyDictionary<string, string> buildArguments, string stage) =>
        Parse(dockerfile, buildArguments).FirstOrDefault(f => string.Equals(f.Stage, stage, StringComparison.OrdinalIgnoreCase)).Image;

    private static List<(string Image, string? Stage)> Parse(string dockerfile, IReadOnlyDictionary<string, string> buildArguments)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(buildArguments);
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<(string Image, string? Stage)>();
        bool seenFrom = false;
        foreach (string line in dockerfile.Split('\n').Select(l => l.Trim()))
        {
            if (!seenFrom && ArgLine().Match(line) is { Success: true } arg)
            {
                string name = arg.Groups["name"].Value;
                arguments[name] = buildArguments.TryGetValue(name, out string? given) ? given : arg.Groups["value"].Value.Trim('"');
            }
            else if (FromLine().Match(line) is { Success: true } from)
            {
                seenFrom = true;
                string image = Substitute(from.Groups["image"].Value, arguments);
                string? stage = from.Groups["stage"].Success ? from.Groups["stage"].Value : null;
                if (!stages.Contains(image))
                {
                    images.Add((image, stage));
                }

                if (stage is not null)
                {
                    stages.Add(stage);
                }
            }
        }

        return images;
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> arguments) =>
        Variable().Replace(text, m => arguments.GetValueOrDefault(m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value, ""));

    [GeneratedRegex(@"^ARG\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)(=(?<value>\S*))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ArgLine();

    [GeneratedRegex(@"^FROM\s+(--platform=\S+\s+)?(?<image>\S+)(\s+AS\s+(?<stage>\S+))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"\$\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|\$(?<plain>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();
}
