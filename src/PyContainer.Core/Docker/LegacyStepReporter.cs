using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>
/// The legacy builders' "stream" text turned into what <see cref="BuildProgressReporter"/> makes of BuildKit's:
/// one line per finished step, named as BuildKit names it ("[builder 6/6] RUN ..."), "CACHED" or its duration,
/// each step's last lines, and the failing RUN step. Two dialects: Docker's legacy builder ("Step 3/13 : RUN ...",
/// " ---> Using cache", " ---> 1a2b3c4d5e6f") and Buildah's behind Podman ("[1/3] STEP 6/6: RUN ...",
/// "--> Using cache ...", "--> 1a2b3c4d5e6"). A stage is named by its FROM line's AS, else "stage-N".
/// </summary>
internal sealed partial class LegacyStepReporter(IBuildLog log)
{
    private const int LogTailLines = 20;

    [GeneratedRegex(@"^Step (?<n>\d+)/(?<total>\d+) : (?<instruction>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DockerStepPattern();

    [GeneratedRegex(@"^(?:\[\d+/\d+\] )?STEP (?<n>\d+)/(?<total>\d+): (?<instruction>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex BuildahStepPattern();

    [GeneratedRegex(@"^ ?-{2,3}> (?:(?<cache>Using cache)|(?<id>[0-9a-f]{10,64})\s*$|Running in )", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"^(?:Removing intermediate container |Successfully (?:built|tagged) |COMMIT(?: |$)|[0-9a-f]{64}$)", RegexOptions.CultureInvariant)]
    private static partial Regex BookkeepingPattern();

    [GeneratedRegex(@"^FROM\s.*\sAS\s+(?<stage>\S+)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NamedStagePattern();

    private readonly StringBuilder _partial = new();
    private readonly Queue<string> _tail = new();
    private int _stages;
    private string _stage = "stage-0";
    private Step? _current;

    public int StepCount { get; private set; }

    public int CachedStepCount { get; private set; }

    /// <summary>Takes in one "stream" text, which may hold several lines or end mid-line.</summary>
    public void Read(string text)
    {
        foreach (char c in text)
        {
            if (c != '\n')
            {
                _partial.Append(c);
                continue;
            }

            string line = _partial.ToString().TrimEnd('\r');
            _partial.Clear();
            ReadLine(line);
        }
    }

    /// <summary>
    /// The step the engine's <paramref name="error"/> is about, when it is a RUN step that did not finish (its
    /// command failed); null for anything else (a missing base image, a bad COPY), which stays a build error.
    /// </summary>
    public (string Step, string Error, string LogTail)? FailureOn(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return _current is { Finished: false } step && step.Instruction.StartsWith("RUN ", StringComparison.OrdinalIgnoreCase)
            ? (step.Name, error.Trim(), string.Join("\n", _tail.Append(_partial.ToString()).Where(l => l.Length > 0).TakeLast(LogTailLines)))
            : null;
    }

    private void ReadLine(string line)
    {
        Match step = DockerStepPattern().Match(line);
        step = step.Success ? step : BuildahStepPattern().Match(line);
        if (step.Success)
        {
            Start(int.Parse(step.Groups["n"].Value, CultureInfo.InvariantCulture), step.Groups["total"].Value, step.Groups["instruction"].Value);
            return;
        }

        if (MarkerPattern().Match(line) is { Success: true } marker)
        {
            if (_current is { } current && marker.Groups["cache"].Success)
            {
                current.Cached = true;
            }
            else if (marker.Groups["id"].Success)
            {
                Finish();
            }

            return;
        }

        if (line.Length == 0 || BookkeepingPattern().IsMatch(line))
        {
            return;
        }

        _tail.Enqueue(line);
        if (_tail.Count > LogTailLines)
        {
            _tail.Dequeue();
        }

        log.Detail(_current is { } running ? $"  {ShortName(running.Name)} | {line}" : line);
    }

    private void Start(int number, string total, string instruction)
    {
        // Buildah prints no id after a FROM step: the next step's start finishes it.
        Finish();
        if (instruction.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))
        {
            _stage = NamedStagePattern().Match(instruction) is { Success: true } named
                ? named.Groups["stage"].Value
                : "stage-" + _stages.ToString(CultureInfo.InvariantCulture);
            _stages++;
        }

        _tail.Clear();
        _current = new Step($"[{_stage} {number}/{total}] {instruction}", instruction, DateTime.UtcNow);
    }

    private void Finish()
    {
        if (_current is not { Finished: false } step)
        {
            return;
        }

        step.Finished = true;
        StepCount++;
        CachedStepCount += step.Cached ? 1 : 0;
        string outcome = step.Cached ? "CACHED" : (DateTime.UtcNow - step.Started).TotalSeconds.ToString("0.0s", CultureInfo.InvariantCulture);
        log.Info($"  {step.Name}: {outcome}");
    }

    /// <summary>"[runner 4/7] RUN python3 -m ..." becomes "[runner 4/7]".</summary>
    private static string ShortName(string name) => name[..(name.IndexOf(']', StringComparison.Ordinal) + 1)];

    private sealed class Step(string name, string instruction, DateTime started)
    {
        public string Name { get; } = name;

        public string Instruction { get; } = instruction;

        public DateTime Started { get; } = started;

        public bool Cached { get; set; }

        public bool Finished { get; set; }
    }
}
