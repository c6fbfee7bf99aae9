using System.Text.Json;
using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;

namespace PyContainer.Docker;

/// <summary>
/// Reads the engine's build output, one JSON line at a time, for every builder: BuildKit's base64 progress
/// ("moby.buildkit.trace"), the legacy builders' "stream" text (Docker's and Podman's Buildah, read into steps by
/// <see cref="LegacyStepReporter"/>), the image id ("aux" ID) and the first "error".
/// It keeps what it learnt, so that at the end <see cref="ImageIdOrThrow"/> either has the image or throws the one
/// coded error the output explains (PYC3007 for the entry-point check, PYC3002 for a Dockerfile step, else PYC3003).
/// </summary>
internal sealed partial class BuildOutputParser(IBuildLog log)
{
    [GeneratedRegex(@"^ ---> Running in ([0-9a-f]{12,64})\s*\z", RegexOptions.CultureInvariant)]
    private static partial Regex StepContainerPattern();

    private readonly BuildProgressReporter _reporter = new(log);
    private readonly LegacyStepReporter _steps = new(log);

    /// <summary>The image id the engine reported, once it did.</summary>
    public string? ImageId { get; private set; }

    /// <summary>The first error the engine reported (in the output, or as the API's answer).</summary>
    public string? Error { get; private set; }

    /// <summary>The legacy builder's current step container ("Running in &lt;id&gt;"); BuildKit runs none.</summary>
    public string? StepContainer { get; private set; }

    /// <summary>The entry-point check's failure line (PYC3007), as the legacy builder streams it.</summary>
    public string? CheckFailure { get; private set; }

    public int StepCount => _reporter.StepCount + _steps.StepCount;

    public int CachedStepCount => _reporter.CachedStepCount + _steps.CachedStepCount;

    /// <summary>Takes in one line of the build output (empty lines are skipped).</summary>
    public void Read(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length == 0)
        {
            return;
        }

        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement;
        string? id = root.TryGetProperty("id", out JsonElement idElement) ? idElement.GetString() : null;
        if (root.TryGetProperty("aux", out JsonElement aux))
        {
            if (id == "moby.buildkit.trace" && aux.ValueKind == JsonValueKind.String)
            {
                _reporter.Apply(BuildKitStatus.Decode(aux.GetBytesFromBase64()));
            }
            else if (aux.ValueKind == JsonValueKind.Object && aux.TryGetProperty("ID", out JsonElement imageIdElement))
            {
                ImageId = imageIdElement.GetString();
            }
        }

        if (root.TryGetProperty("error", out JsonElement errorElement))
        {
            Error ??= errorElement.GetString();
        }
        else if (root.TryGetProperty("stream", out JsonElement stream) && stream.GetString() is { Length: > 0 } text)
        {
            ReadStreamText(text);
        }
    }

    /// <summary>An error the engine answered instead of an output stream (a bad request, a missing Dockerfile).</summary>
    public void Fail(string error) => Error ??= error;

    /// <summary>The built image's id, or the coded error that explains why there is none.</summary>
    public string ImageIdOrThrow()
    {
        // A legacy builder's failing RUN step is known from its error only; it then reads as BuildKit's would.
        (string Step, string Error, string LogTail)? stepFailure = _reporter.Failure ?? (Error is null ? null : _steps.FailureOn(Error));
        if (EntryPointCheck.FindFailure(stepFailure?.LogTail ?? CheckFailure ?? "") is { } brokenEntryPoint
            && (stepFailure is not null || Error is not null))
        {
            throw brokenEntryPoint;
        }

        if (stepFailure is { } failure && RunsBuildCommands(failure.Step))
        {
            throw Errors.Create(Errors.BuildStepFailed, failure.Step, failure.Error, failure.LogTail);
        }

        return Error is null && _reporter.Failure is null && ImageId is { } imageId
            ? imageId
            : throw Errors.Create(Errors.BuildFailed, Error ?? (_reporter.Failure is { } f ? $"{f.Step}: {f.Error}" : "the engine reported no image id"));
    }

    /// <summary>
    /// Whether a failed BuildKit vertex is a step of the Dockerfile's own (PYC3002). "[internal] ..." vertices (a base
    /// image's metadata, the context, the Dockerfile) and FROM steps fail when the engine cannot get what the build
    /// starts from: PYC3003, from either builder, and whichever of the vertex or the final error
    /// reaches us first (a missing base image fails one or the other, depending on the engine).
    /// </summary>
    private static bool RunsBuildCommands(string step) =>
        !step.StartsWith("[internal]", StringComparison.Ordinal) && !step.Contains("] FROM ", StringComparison.Ordinal);

    private void ReadStreamText(string text)
    {
        if (StepContainerPattern().Match(text) is { Success: true } running)
        {
            StepContainer = running.Groups[1].Value;
        }

        if (EntryPointCheck.FindFailure(text) is not null)
        {
            CheckFailure = text;
        }

        _steps.Read(text);
    }
}
