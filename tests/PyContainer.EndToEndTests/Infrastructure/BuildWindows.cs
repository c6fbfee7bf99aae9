using System.Globalization;
using System.Text.RegularExpressions;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// When each project of a multi-project build ran a target, from MSBuild's own timestamps (`-clp:ShowTimestamp`, see
/// <see cref="SampleProject.BuildWithTimestampsAsync"/>): from the target's start ("12:00:01.250   3>ContainerBuild:")
/// to the end of its project ("12:00:09.004   3>Done Building Project ..."). Windows that overlap are builds that ran
/// at the same time. The clock has no date: a build across midnight is not supported.
/// </summary>
public static partial class BuildWindows
{
    [GeneratedRegex(@"^(?<time>\d\d:\d\d:\d\d\.\d{3})\s+(?<project>\d+)(?::\d+)?>(?<text>.*)$")]
    private static partial Regex TimestampedLine();

    /// <summary>One window per project that ran <paramref name="target"/>, by MSBuild project instance.</summary>
    public static Dictionary<string, (TimeSpan Start, TimeSpan End)> Of(ProcessResult result, string target)
    {
        var starts = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var windows = new Dictionary<string, (TimeSpan, TimeSpan)>(StringComparer.Ordinal);
        foreach (string line in result.Output.Split('\n'))
        {
            Match match = TimestampedLine().Match(line.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            string project = match.Groups["project"].Value, text = match.Groups["text"].Value;
            TimeSpan time = TimeSpan.ParseExact(match.Groups["time"].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
            if (text.StartsWith(target + ":", StringComparison.Ordinal))
            {
                starts.TryAdd(project, time);
            }
            else if (text.StartsWith("Done Building Project", StringComparison.Ordinal) && starts.TryGetValue(project, out TimeSpan start))
            {
                windows[project] = (start, time);
            }
        }

        return windows;
    }

    /// <summary>The most windows open at one instant (1 when the builds ran one after another).</summary>
    public static int MostAtOnce(IEnumerable<(TimeSpan Start, TimeSpan End)> windows)
    {
        // Ends sort before starts at the same instant: touching windows did not overlap.
        var edges = windows.SelectMany(w => new[] { (Time: w.Start, Step: 1), (Time: w.End, Step: -1) })
            .OrderBy(e => e.Time).ThenBy(e => e.Step);
        int open = 0, most = 0;
        foreach ((_, int step) in edges)
        {
            open += step;
            most = Math.Max(most, open);
        }

        return most;
    }

    /// <summary>The windows, one line each, for a failure message.</summary>
    public static string Describe(Dictionary<string, (TimeSpan Start, TimeSpan End)> windows) =>
        string.Join('\n', windows.OrderBy(w => w.Value.Start).Select(w => $"project {w.Key}: {w.Value.Start:hh\\:mm\\:ss\\.fff} to {w.Value.End:hh\\:mm\\:ss\\.fff}"));
}
