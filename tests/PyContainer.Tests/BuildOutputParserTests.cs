using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests;

/// <summary>The engine's build output, line by line, as the legacy builder streams it (BuildKit's is BuildKitStatusTests').</summary>
public sealed class BuildOutputParserTests
{
    private readonly RecordingLog _log = new();

    private static string Stream(string text) => JsonSerializer.Serialize(new { stream = text });

    private BuildOutputParser Parse(params string[] lines)
    {
        var parser = new BuildOutputParser(_log);
        foreach (string line in lines)
        {
            parser.Read(line);
        }

        return parser;
    }

    [Fact]
    public void The_image_id_comes_from_aux_and_a_steps_output_is_logged_in_detail_under_its_name()
    {
        BuildOutputParser parser = Parse(
            Stream("Step 1/2 : FROM python AS builder\n"), Stream(" ---> 0123456789ab\n"), Stream("Step 2/2 : RUN make\n ---> Running in 0123456789ab\n"),
            Stream("compiling\n"), Stream("Removing intermediate container 0123456789ab\n ---> fedcba987654\n"), "",
            """{"aux":{"ID":"sha256:abc"}}""", Stream("Successfully built abc\n"));

        Assert.Equal("sha256:abc", parser.ImageIdOrThrow());
        Assert.Equal(["  [builder 2/2] | compiling"], _log.Details);
        Assert.Equal(2, parser.StepCount);
    }

    [Fact]
    public void Buildahs_steps_are_named_as_BuildKit_names_them_with_CACHED_or_their_time()
    {
        BuildOutputParser parser = Parse(
            Stream("[1/2] STEP 1/2: FROM python:3.11 AS builder\n"), Stream("[1/2] STEP 2/2: RUN pip wheel x\n"),
            Stream("--> Using cache 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"), Stream("--> 0123456789a\n"),
            Stream("[2/2] STEP 1/2: FROM 0123456789abcdef AS runner\n"), Stream("[2/2] STEP 2/2: COPY app /app\n"), Stream("COMMIT\n--> fedcba98765\n"),
            """{"aux":{"ID":"sha256:abc"}}""");

        Assert.Equal("sha256:abc", parser.ImageIdOrThrow());
        Assert.Contains("  [builder 2/2] RUN pip wheel x: CACHED", _log.Infos);
        Assert.Contains(_log.Infos, l => l.StartsWith("  [runner 2/2] COPY app /app: ", StringComparison.Ordinal) && l.EndsWith('s'));
        Assert.Equal((4, 1), (parser.StepCount, parser.CachedStepCount));
    }

    [Theory]
    [InlineData("[1/2] STEP 2/2: RUN pip wheel x\n", "building at STEP \"RUN pip wheel x\": while running runtime: exit status 1")]
    [InlineData("Step 2/9 : RUN pip wheel x\n ---> Running in 0123456789ab\n", "The command '/bin/sh -c pip wheel x' returned a non-zero code: 1")]
    public void A_failing_RUN_step_of_a_legacy_builder_is_PYC3002_with_its_name_and_log_tail(string step, string error)
    {
        BuildOutputParser parser = Parse(
            Stream("STEP 1/2: FROM python AS builder\n"), Stream(step), Stream("ERROR: No matching distribution found for x\n"),
            JsonSerializer.Serialize(new { error }));

        PyContainerException e = Coded.Throws(Errors.BuildStepFailed, () => parser.ImageIdOrThrow());
        Assert.Contains("[builder 2/", e.Message, StringComparison.Ordinal);
        Assert.Contains("No matching distribution found for x", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_error_outside_a_RUN_step_stays_PYC3003()
    {
        BuildOutputParser parser = Parse(Stream("[1/2] STEP 1/2: FROM missing/image AS builder\n"), """{"error":"creating build container: initializing source docker://missing/image: unauthorized"}""");

        Coded.Throws(Errors.BuildFailed, () => parser.ImageIdOrThrow());
    }

    [Fact]
    public void The_running_step_container_is_remembered_for_cancellation()
    {
        BuildOutputParser parser = Parse(Stream(" ---> Running in 0123456789ab\n"), Stream(" ---> Running in fedcba9876543210\n"));

        Assert.Equal("fedcba9876543210", parser.StepContainer);
    }

    [Fact]
    public void The_first_error_wins_and_is_PYC3003()
    {
        BuildOutputParser parser = Parse("""{"error":"first"}""", """{"aux":{"ID":"sha256:abc"}}""", """{"error":"second"}""");

        PyContainerException e = Coded.Throws(Errors.BuildFailed, () => parser.ImageIdOrThrow());
        Assert.Contains("first", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_the_engine_answered_instead_of_output_is_PYC3003()
    {
        BuildOutputParser parser = Parse();
        parser.Fail("Cannot locate specified Dockerfile: Dockerfile");

        Assert.Contains("Cannot locate specified Dockerfile", Coded.Throws(Errors.BuildFailed, () => parser.ImageIdOrThrow()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_image_id_is_PYC3003()
    {
        Assert.Contains("no image id", Coded.Throws(Errors.BuildFailed, () => Parse(Stream("done\n")).ImageIdOrThrow()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_entry_point_check_failure_line_is_PYC3007_when_the_build_failed()
    {
        BuildOutputParser parser = Parse(
            Stream("pycontainer-check-failed\tPythonWsgiApp\tapp:missing\tAttributeError: module 'app' has no attribute 'missing'\n"),
            """{"error":"The command '/bin/sh -c python3 /tmp/check.py' returned a non-zero code: 1"}""");

        PyContainerException e = Coded.Throws(Errors.EntryPointCheckFailed, () => parser.ImageIdOrThrow());
        Assert.Contains("PythonWsgiApp=app:missing", e.Message, StringComparison.Ordinal);
    }
    /// <summary>A BuildKit progress line with one failed vertex (moby.buildkit.v1.Vertex: digest 1, name 3, completed 6, error 7).</summary>
    private static string FailedVertex(string name, string error)
    {
        byte[] status = new ProtobufWriter()
            .Message(1, v => v.String(1, "sha256:v").String(3, name).Timestamp(6, DateTimeOffset.UnixEpoch).String(7, error))
            .ToArray();
        return JsonSerializer.Serialize(new { id = "moby.buildkit.trace", aux = Convert.ToBase64String(status) });
    }

    [Theory]
    [InlineData("[internal] load metadata for docker.io/pycontainer-test/never-built:1", true)]
    [InlineData("[internal] load metadata for docker.io/pycontainer-test/never-built:1", false)]
    [InlineData("[runner 1/6] FROM docker.io/pycontainer-test/never-built:1", true)]
    [InlineData("[runner 1/6] FROM docker.io/pycontainer-test/never-built:1", false)]
    public void A_base_image_the_engine_cannot_get_is_PYC3003_whether_or_not_its_failed_vertex_came_first(string vertex, bool withFinalError)
    {
        string[] lines = withFinalError
            ? [FailedVertex(vertex, "pull access denied"), """{"error":"failed to solve: docker.io/pycontainer-test/never-built:1: pull access denied"}"""]
            : [FailedVertex(vertex, "pull access denied")];

        PyContainerException e = Coded.Throws(Errors.BuildFailed, () => Parse(lines).ImageIdOrThrow());
        Assert.Contains("never-built", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_RUN_step_is_PYC3002_with_the_step()
    {
        BuildOutputParser parser = Parse(FailedVertex("[builder 3/4] RUN python3 -m pip wheel", "exit code: 1"), """{"error":"exit code: 1"}""");

        Assert.Contains("[builder 3/4]", Coded.Throws(Errors.BuildStepFailed, () => parser.ImageIdOrThrow()).Message, StringComparison.Ordinal);
    }
}
