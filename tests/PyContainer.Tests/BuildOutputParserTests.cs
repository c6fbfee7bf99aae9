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
    public void The_image_id_comes_from_aux_and_stream_text_is_logged_in_detail()
    {
        BuildOutputParser parser = Parse(Stream("Step 1/2 : FROM python\n"), "", """{"aux":{"ID":"sha256:abc"}}""", Stream("Successfully built abc\n"));

        Assert.Equal("sha256:abc", parser.ImageIdOrThrow());
        Assert.Equal(["Step 1/2 : FROM python", "Successfully built abc"], _log.Details);
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
}
