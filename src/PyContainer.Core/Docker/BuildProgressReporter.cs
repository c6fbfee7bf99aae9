using System.Globalization;
using System.Text;
using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>
/// Turns BuildKit's stream of vertex updates into one readable line per finished step ("CACHED" or its
/// duration), keeps the last lines each step printed, and remembers the first step that failed, so that a
/// failure can be reported as one error with that step's name and log tail.
/// </summary>
internal sealed class BuildProgressReporter(IBuildLog log)
{
    private const int LogTailLines = 20;

    private readonly Dictionary<string, BuildKitVertex> _vertexes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LogTail> _logs = new(StringComparer.Ordinal);

    /// <summary>The first step that failed, with the last lines it printed.</summary>
    public (string Step, string Error, string LogTail)? Failure { get; private set; }

    public int StepCount { get; private set; }

    public int CachedStepCount { get; private set; }

    public void Apply(BuildKitStatus status)
    {
        foreach (BuildKitLog entry in status.Logs)
        {
            if (!_logs.TryGetValue(entry.VertexDigest, out LogTail? tail))
            {
                _logs[entry.VertexDigest] = tail = new LogTail();
            }

            foreach (string line in tail.Append(entry.Text))
            {
                string step = _vertexes.TryGetValue(entry.VertexDigest, out BuildKitVertex? v) ? ShortName(v.Name) : "step";
                log.Detail($"  {step} | {line}");
            }
        }

        foreach (BuildKitVertex vertex in status.Vertexes)
        {
            _vertexes[vertex.Digest] = vertex;
            if ((vertex.Completed is null && !vertex.Cached) || !_reported.Add(vertex.Digest))
            {
                continue;
            }

            Report(vertex);
        }
    }

    private void Report(BuildKitVertex vertex)
    {
        bool isStep = vertex.Name.StartsWith('[') && !vertex.Name.StartsWith("[internal]", StringComparison.Ordinal);
        if (vertex.Error.Length > 0)
        {
            Failure ??= (vertex.Name, vertex.Error, _logs.TryGetValue(vertex.Digest, out LogTail? tail) ? tail.ToString() : "");
            log.Info($"  {vertex.Name}: FAILED");
            return;
        }

        string outcome = vertex.Cached
            ? "CACHED"
            : vertex.Started is { } started && vertex.Completed is { } completed
                ? (completed - started).TotalSeconds.ToString("0.0s", CultureInfo.InvariantCulture)
                : "done";
        if (isStep)
        {
            StepCount++;
            CachedStepCount += vertex.Cached ? 1 : 0;
            log.Info($"  {vertex.Name}: {outcome}");
        }
        else
        {
            log.Detail($"  {vertex.Name}: {outcome}");
        }
    }

    /// <summary>"[runner 4/7] RUN python3 -m ..." becomes "[runner 4/7]".</summary>
    private static string ShortName(string name)
    {
        int end = name.IndexOf(']', StringComparison.Ordinal);
        return name.StartsWith('[') && end > 0 ? name[..(end + 1)] : name;
    }

    /// <summary>The last lines of one step's output; partial lines are joined until their newline arrives.</summary>
    private sealed class LogTail
    {
        private readonly Queue<string> _lines = new();
        private readonly StringBuilder _partial = new();

        public List<string> Append(string text)
        {
            var complete = new List<string>();
            foreach (char c in text)
            {
                if (c == '\n')
                {
                    string line = _partial.ToString().TrimEnd('\r');
                    _partial.Clear();
                    complete.Add(line);
                    _lines.Enqueue(line);
                    if (_lines.Count > LogTailLines)
                    {
                        _lines.Dequeue();
                    }
                }
                else
                {
                    _partial.Append(c);
                }
            }

            return complete;
        }

        // The unfinished last line counts as one of the tail's lines.
        public override string ToString() =>
            string.Join("\n", _lines.Append(_partial.ToString()).Where(l => l.Length > 0).TakeLast(LogTailLines));
    }
}
