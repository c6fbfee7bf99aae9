using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using Docker.DotNet.NativeHttp;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Model;

namespace PyContainer.Docker;

/// <summary>
/// The Docker Engine API as PyContainer uses it: BuildKit builds from a streamed context, tags, pushes.
/// Every failure the user can act on becomes a coded <see cref="PyContainerException"/>.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Attempts of a push that fails for a transient reason (connection reset, 5xx, timeouts).</summary>
    private const int PushAttempts = 3;

    private static readonly string[] TransientMarkers =
    [
        "connection reset", "broken pipe", "use of closed network connection", "timeout", "timed out", "EOF",
        "the connection to the engine broke",
        "500 Internal Server Error", "502 Bad Gateway", "503 Service Unavailable", "504 Gateway Timeout",
        "received unexpected HTTP status: 5", "TOOMANYREQUESTS", "429 Too Many Requests",
    ];

    private readonly DockerClient _client;

    private DockerEngine(DockerClient client, EngineEndpoint endpoint)
    {
        _client = client;
        Endpoint = endpoint.Address;
        EndpointSource = endpoint.Source;
    }

    public string Endpoint { get; }

    /// <summary>Why this endpoint was chosen (the property, DOCKER_HOST, a docker context, ...), for the log.</summary>
    public string EndpointSource { get; }

    /// <summary>
    /// Connects to the engine <see cref="EngineEndpoint.Resolve"/> picks (<paramref name="endpoint"/> is the
    /// ContainerEngineEndpoint property) and checks that it answers.
    /// </summary>
    public static async Task<DockerEngine> ConnectAsync(string? endpoint, CancellationToken cancellationToken)
    {
        EngineEndpoint resolved = EngineEndpoint.Resolve(endpoint, Environment.GetEnvironmentVariable);
        EngineEndpointCheck.Validate(resolved);
        if (EngineEndpointCheck.SocketPath(resolved) is { } socket && !File.Exists(socket))
        {
            // Connecting would say "Cannot assign requested address" (or "No such file"): say what is missing.
            throw Errors.Create(Errors.EngineUnreachable, resolved.Address, resolved.Source, $"no socket exists at {socket}");
        }

        DockerClient client;
        try
        {
            var builder = new DockerClientBuilder()
                .WithEndpoint(new Uri(resolved.Address))
                // Builds and pushes stream for minutes; cancellation, not a timeout, ends them.
                .WithTimeout(Timeout.InfiniteTimeSpan);
            client = resolved.TlsCertificateDirectory is { } certificates
                // SocketsHttpHandler carries the client certificate; the auth provider switches the scheme to https.
                ? builder.WithAuthProvider(TlsClientAuthProvider.Load(resolved.Address, certificates))
                    .WithTransportOptions(new NativeHttpTransportOptions())
                    .Build()
                : builder.Build();
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw Errors.Create(Errors.EngineUnreachable, e, resolved.Address, resolved.Source, e.Message);
        }

        var engine = new DockerEngine(client, resolved);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PingTimeout);
            await client.System.PingAsync(timeout.Token);
            return engine;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not PyContainerException)
        {
            engine.Dispose();
            throw Errors.Create(Errors.EngineUnreachable, e, resolved.Address, resolved.Source, e.GetBaseException().Message);
        }
    }

    /// <summary>
    /// Builds the context with BuildKit and returns the image id. The image gets no tag here: tags are
    /// applied only after the build succeeded, so a failed build never moves a tag.
    /// </summary>
    /// <param name="target">The stage to build (<see cref="EntryPointCheck.StageName"/>), or null for the image.</param>
    public async Task<string> BuildAsync(BuildContext context, IDictionary<string, string> buildArgs, bool buildKit, IBuildLog log, CancellationToken cancellationToken, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        var parameters = new ImageBuildParameters
        {
            Version = buildKit ? "2" : "1",
            Dockerfile = context.DockerfileFor(buildKit),
            // The host network: the default bridge may be absent, and package indexes on loopback stay reachable.
            NetworkMode = "host",
            BuildArgs = buildArgs,
            Remove = true,
            ForceRemove = true,
            Target = target,
        };

        var reporter = new BuildProgressReporter(log);
        string? imageId = null;
        string? error = null;
        // The legacy builder runs each step in a container ("Running in <id>"); BuildKit runs none.
        string? stepContainer = null;
        // The entry-point check's failure line (PYC3007), as the legacy builder streams it.
        string? checkFailure = null;
        var started = DateTime.UtcNow;
        using (Stream tar = await ContextStream.CreateAsync(context, cancellationToken))
        {
            try
            {
                // The non-obsolete overload parses progress into JSONMessage and throws on BuildKit's string
                // "aux" payloads; this one hands over the raw stream, which is what the progress decoder needs.
#pragma warning disable CS0618
                using Stream output = await _client.Images.BuildImageFromDockerfileAsync(tar, parameters, cancellationToken);
#pragma warning restore CS0618
                using var reader = new StreamReader(output);
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    HandleBuildLine(line, reporter, log, ref imageId, ref error, ref stepContainer, ref checkFailure);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await RemoveStepContainerAsync(stepContainer);
                throw Errors.Create(Errors.BuildCancelled);
            }
            catch (DockerApiException e)
            {
                error = e.ResponseBody is { Length: > 0 } body ? ErrorMessageOf(body) : e.Message;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
            {
                // A cut mid-upload surfaces as HttpRequestException (wrapping the broken pipe), mid-stream as IOException.
                throw Errors.Create(Errors.BuildFailed, e, $"the connection to the engine at {Endpoint} broke: {e.GetBaseException().Message}");
            }
        }

        if (EntryPointCheck.FindFailure(reporter.Failure?.LogTail ?? checkFailure ?? "") is { } brokenEntryPoint && (reporter.Failure is not null || error is not null))
        {
            throw brokenEntryPoint;
        }

        if (reporter.Failure is { } failure)
        {
            throw Errors.Create(Errors.BuildStepFailed, failure.Step, failure.Error, failure.LogTail);
        }

        if (error is not null || imageId is null)
        {
            throw Errors.Create(Errors.BuildFailed, error ?? "the engine reported no image id");
        }

        if (target is not null)
        {
            log.Info(string.Format(CultureInfo.InvariantCulture, "  Checked the entry point: the {0} stage took {1:0.0}s ({2} of {3} steps cached).", target, (DateTime.UtcNow - started).TotalSeconds, reporter.CachedStepCount, reporter.StepCount));
            return imageId;
        }

        long size = (await _client.Images.InspectImageAsync(imageId, cancellationToken)).Size;
        log.Info(string.Format(
            CultureInfo.InvariantCulture,
            "  Built {0} ({1:0.0} MB) in {2:0.0}s ({3} of {4} steps cached).",
            imageId[..Math.Min(19, imageId.Length)],
            size / 1e6,
            (DateTime.UtcNow - started).TotalSeconds,
            reporter.CachedStepCount,
            reporter.StepCount));
        return imageId;
    }

    /// <summary>Whether the engine can build with BuildKit (Engine API 1.39+, Linux containers).</summary>
    public async Task<bool> SupportsBuildKitAsync(CancellationToken cancellationToken)
    {
        VersionResponse version = await _client.System.GetVersionAsync(cancellationToken);
        return SupportsBuildKit(version.Os, version.APIVersion);
    }

    internal static bool SupportsBuildKit(string? os, string? apiVersion) =>
        string.Equals(os, "linux", StringComparison.OrdinalIgnoreCase)
        && System.Version.TryParse(apiVersion, out System.Version? api) && api >= new System.Version(1, 39);

    /// <summary>Tags the image unless the tag already points at it; returns whether it had to tag.</summary>
    public async Task<bool> TagAsync(string imageId, ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (await FindImageIdAsync(reference.ToString(), cancellationToken) == imageId)
        {
            return false;
        }

        await _client.Images.TagImageAsync(imageId, new ImageTagParameters { RepositoryName = reference.Name, Tag = reference.Tag }, cancellationToken);
        return true;
    }

    /// <summary>
    /// Removes the check stage's image (untagged; BuildKit's cache keeps its steps), so checks leave no dangling
    /// image behind. An image that is also something else's (a tag, a container) stays: the engine refuses.
    /// </summary>
    public async Task RemoveUntaggedImageAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Images.DeleteImageAsync(imageId, new ImageDeleteParameters { Force = false }, cancellationToken);
        }
        catch (DockerApiException)
        {
            // In use or already gone: nothing to clean up.
        }
    }

    /// <summary>The id of the local image <paramref name="nameOrId"/>, or null when the engine has no such image.</summary>
    public async Task<string?> FindImageIdAsync(string nameOrId, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.Images.InspectImageAsync(nameOrId, cancellationToken)).ID;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The manifest digest the registry holds for <paramref name="reference"/>, asked through the engine, or
    /// null when it cannot tell (no such tag, registry unreachable or asking for credentials).
    /// </summary>
    public async Task<string?> FindRegistryDigestAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        try
        {
            return (await _client.Distribution.InspectAsync(reference.ToString(), cancellationToken)).Descriptor?.Digest;
        }
        catch (DockerApiException)
        {
            return null;
        }
    }

    /// <summary>
    /// Pushes one tag and returns the manifest digest the registry reported. Transient failures (connection
    /// reset, 5xx, timeouts) are retried with exponential backoff; refused credentials never are.
    /// </summary>
    public async Task<string> PushAsync(ImageReference reference, AuthConfig credentials, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(log);
        for (int attempt = 1; ; attempt++)
        {
            (string? digest, string? error) = await PushOnceAsync(reference, credentials, log, cancellationToken);
            if (error is null)
            {
                return digest ?? throw Errors.Create(Errors.PushFailed, reference, "the registry reported no manifest digest");
            }

            PyContainerException failure = PushError(reference, error);
            if (attempt == PushAttempts || failure.Code == Errors.PushUnauthorized || !IsTransient(error))
            {
                throw failure;
            }

            var wait = TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
            log.Info($"  Push of {reference} failed ({error}); retrying in {wait.TotalSeconds:0} s (attempt {attempt + 1} of {PushAttempts}).");
            await Task.Delay(wait, cancellationToken);
        }
    }

    private async Task<(string? Digest, string? Error)> PushOnceAsync(ImageReference reference, AuthConfig credentials, IBuildLog log, CancellationToken cancellationToken)
    {
        string? digest = null;
        string? error = null;
        var progress = new SynchronousProgress<JSONMessage>(message =>
        {
            if (message.Error is { } e)
            {
                error ??= e.Message;
            }
            else if (message.Aux?.ExtensionData is { } aux && aux.TryGetValue("Digest", out object? value))
            {
                digest = value?.ToString();
            }
            else if (message.Status is { Length: > 0 } status && message.Progress is null)
            {
                log.Detail($"  {(message.ID is null ? "" : message.ID + ": ")}{status}");
            }
        });

        try
        {
            await _client.Images.PushImageAsync(reference.Name, new ImagePushParameters { Tag = reference.Tag }, credentials, progress, cancellationToken);
        }
        catch (DockerApiException e)
        {
            error ??= e.ResponseBody is { Length: > 0 } body ? ErrorMessageOf(body) : e.Message;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
        {
            error ??= "the connection to the engine broke: " + e.GetBaseException().Message;
        }

        return (digest, error);
    }

    /// <summary>Failures worth another attempt: the network or the registry hiccuped, nothing the user must fix.</summary>
    internal static bool IsTransient(string error) =>
        TransientMarkers.Any(marker => error.Contains(marker, StringComparison.OrdinalIgnoreCase));

    /// <summary>Writes every reference of the image to one `docker save` tarball at <paramref name="path"/>.</summary>
    public async Task SaveAsync(IReadOnlyList<ImageReference> references, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        string temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (Stream image = await _client.Images.SaveImagesAsync(references.Select(r => r.ToString()).ToArray(), cancellationToken))
            using (FileStream file = File.Create(temporary))
            {
                await image.CopyToAsync(file, 81920, cancellationToken);
            }

            // Written aside and moved in: a cancelled or broken save never leaves a truncated archive behind.
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DockerApiException)
        {
            File.Delete(temporary);
            throw Errors.Create(Errors.ArchiveFailed, e, path, e is DockerApiException { ResponseBody: { Length: > 0 } body } ? ErrorMessageOf(body) : e.Message);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static PyContainerException PushError(ImageReference reference, string error)
    {
        string registry = reference.Registry ?? "docker.io";
        if (error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
            || error.Contains("authentication required", StringComparison.OrdinalIgnoreCase)
            || error.Contains("denied", StringComparison.OrdinalIgnoreCase)
            || error.Contains("forbidden", StringComparison.OrdinalIgnoreCase)
            || error.Contains("no basic auth credentials", StringComparison.OrdinalIgnoreCase))
        {
            return Errors.Create(Errors.PushUnauthorized, registry, reference, error);
        }

        if (error.Contains("connection refused", StringComparison.OrdinalIgnoreCase)
            || error.Contains("no such host", StringComparison.OrdinalIgnoreCase)
            || error.Contains("i/o timeout", StringComparison.OrdinalIgnoreCase)
            || error.Contains("network is unreachable", StringComparison.OrdinalIgnoreCase))
        {
            return Errors.Create(Errors.RegistryUnreachable, registry, error);
        }

        return Errors.Create(Errors.PushFailed, reference, error);
    }

    /// <summary>
    /// The engine removes a cancelled legacy step's container only after it stopped, seconds after the client
    /// left; removing it here means a cancelled build is over, container included, when the task returns.
    /// </summary>
    private async Task RemoveStepContainerAsync(string? container)
    {
        if (container is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, timeout.Token);
        }
        catch (Exception e) when (e is DockerApiException or OperationCanceledException or IOException or HttpRequestException)
        {
            // Already gone, or the engine removes it itself: cancellation must not turn into another error.
        }
    }

    private static void HandleBuildLine(string line, BuildProgressReporter reporter, IBuildLog log, ref string? imageId, ref string? error, ref string? stepContainer, ref string? checkFailure)
    {
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
                reporter.Apply(BuildKitStatus.Decode(aux.GetBytesFromBase64()));
            }
            else if (aux.ValueKind == JsonValueKind.Object && aux.TryGetProperty("ID", out JsonElement imageIdElement))
            {
                imageId = imageIdElement.GetString();
            }
        }

        if (root.TryGetProperty("error", out JsonElement errorElement))
        {
            error ??= errorElement.GetString();
        }
        else if (root.TryGetProperty("stream", out JsonElement stream) && stream.GetString() is { Length: > 0 } text)
        {
            if (StepContainerPattern.Match(text) is { Success: true } running)
            {
                stepContainer = running.Groups[1].Value;
            }

            if (EntryPointCheck.FindFailure(text) is not null)
            {
                checkFailure = text;
            }

            log.Detail(text.TrimEnd());
        }
    }

    private static string ErrorMessageOf(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out JsonElement message) ? message.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static readonly Regex StepContainerPattern = new(@"^ ---> Running in ([0-9a-f]{12,64})\s*\z", RegexOptions.CultureInvariant);

    public void Dispose() => _client.Dispose();

    /// <summary>Progress that runs its callback on the reporting thread, so no message is lost or reordered.</summary>
    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
