using System.Text.RegularExpressions;
using PyContainer.Context;
using PyContainer.Daemonless;

namespace PyContainer.Dockerfile;

/// <summary>
/// The image the runner stage is built FROM, as the generated context says it: the image plan's base image, or the
/// Dockerfile's <c>FROM ... AS runner</c> with the global ARG defaults before it expanded (<c>python:${PYTHON_VERSION}-slim</c>).
/// </summary>
public static partial class RunnerBase
{
    /// <summary>The runner stage's base image, or null when the context names none.</summary>
    public static string? Of(BuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Contains(ImagePlan.ContextPath))
        {
            return ImagePlan.FromJson(context.ReadText(ImagePlan.ContextPath)).BaseImage;
        }

        if (!context.Contains(GeneratedContext.DockerfileName))
        {
            return null;
        }

        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in context.ReadText(GeneratedContext.DockerfileName).Split('\n').Select(l => l.Trim()))
        {
            if (GlobalArgument().Match(line) is { Success: true } argument)
            {
                arguments[argument.Groups[1].Value] = argument.Groups[2].Value;
            }
            else if (RunnerFrom().Match(line) is { Success: true } from)
            {
                return Variable().Replace(from.Groups[1].Value, v => arguments.GetValueOrDefault(v.Groups[1].Value, ""));
            }
        }

        return null;
    }

    [GeneratedRegex(@"^ARG\s+(\w+)=(\S*)$", RegexOptions.IgnoreCase)]
    private static partial Regex GlobalArgument();

    [GeneratedRegex(@"^FROM\s+(\S+)\s+AS\s+runner$", RegexOptions.IgnoreCase)]
    private static partial Regex RunnerFrom();

    [GeneratedRegex(@"\$\{?(\w+)\}?")]
    private static partial Regex Variable();
}
