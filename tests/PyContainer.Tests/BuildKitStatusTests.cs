using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

public sealed class BuildKitStatusTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>moby.buildkit.v1.Vertex: digest 1, inputs 2, name 3, cached 4, started 5, completed 6, error 7.</summary>
    private static Action<ProtobufWriter> Vertex(string digest, string name, bool cached = false, DateTimeOffset? started = null, DateTimeOffset? completed = null, string? error = null) => v =>
    {
        v.String(1, digest).String(2, "sha256:input").String(3, name);
        if (cached)
        {
            v.Varint(4, 1);
        }

        if (started is { } s)
        {
            v.Timestamp(5, s);
        }

        if (completed is { } c)
        {
            v.Timestamp(6, c);
        }

        if (error is not null)
        {
            v.String(7, error);
        }
    };

    /// <summary>moby.buildkit.v1.VertexLog: vertex 1, timestamp 2, stream 3, msg 4.</summary>
    private static Action<ProtobufWriter> Log(string vertex, string message) => l => l
        .String(1, vertex)
        .Timestamp(2, Start)
        .Varint(3, 1)
        .String(4, message);

    private static BuildKitStatus Status(Action<ProtobufWriter> build)
    {
        var writer = new ProtobufWriter();
        build(writer);
        return BuildKitStatus.Decode(writer.ToArray());
    }

    [Fact]
    public void Decodes_vertexes_and_logs()
    {
        DateTimeOffset started = Start.AddTicks(1234567);
        BuildKitStatus status = Status(w => w
            .Message(1, Vertex("sha256:a", "[runner 1/6] FROM python", cached: true))
            .Message(1, Vertex("sha256:b", "[builder 3/4] RUN pip wheel", started: started, completed: started.AddSeconds(2.5), error: "exit code: 1"))
            .Message(3, Log("sha256:b", "Collecting flask\n")));

        Assert.Equal(2, status.Vertexes.Count);
        Assert.Equal(new BuildKitVertex("sha256:a", "[runner 1/6] FROM python", true, null, null, ""), status.Vertexes[0]);
        BuildKitVertex failed = status.Vertexes[1];
        Assert.Equal("sha256:b", failed.Digest);
        Assert.Equal("[builder 3/4] RUN pip wheel", failed.Name);
        Assert.False(failed.Cached);
        Assert.Equal(started, failed.Started);
        Assert.Equal(started.AddSeconds(2.5), failed.Completed);
        Assert.Equal("exit code: 1", failed.Error);
        Assert.Equal([new BuildKitLog("sha256:b", "Collecting flask\n")], status.Logs);
    }

    [Fact]
    public void Timestamp_nanos_become_ticks()
    {
        BuildKitStatus status = Status(w => w.Message(1, v => v
            .String(1, "d")
            .Message(5, t => t.Varint(1, 1_700_000_000).Varint(2, 123_456_700))));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567), status.Vertexes[0].Started);
    }

    [Fact]
    public void Unknown_fields_of_every_wire_type_are_skipped()
    {
        BuildKitStatus status = Status(w => w
            .Varint(9, 300)
            .Fixed64(10, ulong.MaxValue)
            .Fixed32(11, 7)
            .Message(2, s => s.String(1, "status-id").Varint(5, 1024))
            .Message(4, warning => warning.String(1, "sha256:a").Varint(2, 1))
            .Message(1, v => v
                .Varint(8, 99)
                .String(1, "sha256:a")
                .Fixed64(12, 1)
                .Message(9, nested => nested.String(1, "progress group"))
                .String(3, "[runner 2/6] RUN x")
                .Fixed32(13, 1))
            .Message(3, l => l.String(1, "sha256:a").Fixed64(2, 5).String(4, "hello\n").Varint(99, 1)));

        Assert.Equal("sha256:a", Assert.Single(status.Vertexes).Digest);
        Assert.Equal("[runner 2/6] RUN x", status.Vertexes[0].Name);
        Assert.Equal(new BuildKitLog("sha256:a", "hello\n"), Assert.Single(status.Logs));
    }

    [Fact]
    public void Empty_message_decodes_to_nothing()
    {
        BuildKitStatus status = BuildKitStatus.Decode([]);

        Assert.Empty(status.Vertexes);
        Assert.Empty(status.Logs);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 })]
    [InlineData(new byte[] { 0x08, 0x80 })]
    [InlineData(new byte[] { 0x0B })]
    public void Truncated_or_malformed_data_is_a_FormatException(byte[] data)
    {
        Assert.Throws<FormatException>(() => BuildKitStatus.Decode(data));
    }
}

public sealed class BuildProgressReporterTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class RecordingLog : IBuildLog
    {
        public List<string> Infos { get; } = [];

        public List<string> Details { get; } = [];

        public List<(string Code, string Message)> Warnings { get; } = [];

        public void Info(string message) => Infos.Add(message);

        public void Detail(string message) => Details.Add(message);

        public void Warning(string code, string message) => Warnings.Add((code, message));
    }

    private static BuildKitStatus Vertexes(params BuildKitVertex[] vertexes) => new(vertexes, []);

    private static BuildKitStatus Logs(params BuildKitLog[] logs) => new([], logs);

    private readonly RecordingLog _log = new();

    [Fact]
    public void Cached_step_logs_CACHED()
    {
        var reporter = new BuildProgressReporter(_log);

        reporter.Apply(Vertexes(new BuildKitVertex("a", "[runner 2/6] RUN python3 -m venv", true, null, null, "")));

        Assert.Equal(["  [runner 2/6] RUN python3 -m venv: CACHED"], _log.Infos);
        Assert.Equal(1, reporter.StepCount);
        Assert.Equal(1, reporter.CachedStepCount);
        Assert.Null(reporter.Failure);
    }

    [Fact]
    public void Completed_step_logs_its_duration_once()
    {
        var reporter = new BuildProgressReporter(_log);
        var running = new BuildKitVertex("b", "[builder 4/4] RUN pip wheel", false, Start, null, "");

        reporter.Apply(Vertexes(running));
        reporter.Apply(Vertexes(running with { Completed = Start.AddSeconds(12.34) }));
        reporter.Apply(Vertexes(running with { Completed = Start.AddSeconds(12.34) }));

        Assert.Equal(["  [builder 4/4] RUN pip wheel: 12.3s"], _log.Infos);
        Assert.Equal(1, reporter.StepCount);
        Assert.Equal(0, reporter.CachedStepCount);
    }

    [Fact]
    public void Internal_and_unbracketed_steps_go_to_detail_only()
    {
        var reporter = new BuildProgressReporter(_log);

        reporter.Apply(Vertexes(
            new BuildKitVertex("c", "[internal] load build definition from Dockerfile", false, Start, Start.AddSeconds(0.1), ""),
            new BuildKitVertex("d", "[internal] load metadata for docker.io/library/python:3.12-slim", true, null, null, ""),
            new BuildKitVertex("e", "exporting to image", false, Start, Start.AddSeconds(1), "")));

        Assert.Empty(_log.Infos);
        Assert.Equal(
            ["  [internal] load build definition from Dockerfile: 0.1s", "  [internal] load metadata for docker.io/library/python:3.12-slim: CACHED", "  exporting to image: 1.0s"],
            _log.Details);
        Assert.Equal(0, reporter.StepCount);
    }

    [Fact]
    public void Step_output_goes_to_detail_with_partial_lines_joined()
    {
        var reporter = new BuildProgressReporter(_log);
        reporter.Apply(Vertexes(new BuildKitVertex("f", "[builder 3/4] RUN pip wheel --wheel-dir /wheels", false, Start, null, "")));

        reporter.Apply(Logs(new BuildKitLog("f", "Collecting fl"), new BuildKitLog("f", "ask\r\nDownloading")));
        reporter.Apply(Logs(new BuildKitLog("f", " flask.whl\n")));

        Assert.Equal(["  [builder 3/4] | Collecting flask", "  [builder 3/4] | Downloading flask.whl"], _log.Details);
    }

    [Fact]
    public void Failing_step_sets_Failure_with_its_name_error_and_log_tail()
    {
        var reporter = new BuildProgressReporter(_log);
        var step = new BuildKitVertex("g", "[builder 3/4] RUN python3 -m pip wheel", false, Start, null, "");
        reporter.Apply(Vertexes(step));
        reporter.Apply(Logs(new BuildKitLog("g", string.Concat(Enumerable.Range(1, 25).Select(i => $"line {i}\n")))));
        reporter.Apply(Logs(new BuildKitLog("g", "ERROR: No matching distribution"), new BuildKitLog("g", " found for nosuchpackage")));

        reporter.Apply(Vertexes(step with { Completed = Start.AddSeconds(3), Error = "process \"/bin/sh -c python3 -m pip wheel\" did not complete successfully: exit code: 1" }));
        // A later failure (BuildKit cancels the other stage) does not replace the first.
        reporter.Apply(Vertexes(new BuildKitVertex("h", "[runner 2/6] RUN apt-get update", false, Start, Start.AddSeconds(4), "context canceled")));

        Assert.NotNull(reporter.Failure);
        (string name, string error, string tail) = reporter.Failure.Value;
        Assert.Equal("[builder 3/4] RUN python3 -m pip wheel", name);
        Assert.EndsWith("exit code: 1", error, StringComparison.Ordinal);
        string[] lines = tail.Split('\n');
        Assert.Equal(20, lines.Length);
        Assert.Equal("line 7", lines[0]);
        Assert.Equal("line 25", lines[^2]);
        Assert.Equal("ERROR: No matching distribution found for nosuchpackage", lines[^1]);
        Assert.Contains("  [builder 3/4] RUN python3 -m pip wheel: FAILED", _log.Infos);
    }

    [Fact]
    public void Failing_step_without_output_has_an_empty_tail()
    {
        var reporter = new BuildProgressReporter(_log);

        reporter.Apply(Vertexes(new BuildKitVertex("i", "[runner 1/6] FROM python:3.12-slim", false, Start, Start.AddSeconds(1), "pull access denied")));

        Assert.Equal(("[runner 1/6] FROM python:3.12-slim", "pull access denied", ""), reporter.Failure);
    }
}
