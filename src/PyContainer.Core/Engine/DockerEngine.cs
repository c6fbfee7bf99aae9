using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Model;

namespace PyContainer.Engine;

/// <summary>
/// The Docker Engine API as PyContainer uses it: BuildKit builds from a streamed context, tags, pushes.
/// Every failure the user can act on becomes a coded <see cref="PyContainerException"/>.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(15);

    private readonly DockerClient _client;

    private DockerEngine(DockerClient client, string endpoint)
    {
        _client = client;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    /// <summary>
    /// Connects to <paramref name="endpoint"/> when given (the ContainerEngineEndpoint property), else to
    /// DOCKER_HOST, else to the default local socket, and checks that the engine answers.
    /// </summary>
    public static async Task<DockerEngine> ConnectAsync(string? endpoint, CancellationToken cancellationToken)
    {
        string resolved = ResolveEndpoint(endpoint);
        DockerClient client;
        try
        {
            client = new DockerClientBuilder()
                .WithEndpoint(new Uri(resolved))
                // Builds and pushes stream for minutes; cancellation, not a timeout, ends them.
                .WithTimeout(Timeout.InfiniteTimeSpan)
                .Build();
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or NotSupportedException)
        {
            throw Errors.Create(Errors.EngineUnreachable, e, resolved, e.Message);
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
            throw Errors.Create(Errors.EngineUnreachable, e, resolved, e.GetBaseException().Message);
        }
    }

    internal static string ResolveEndpoint(string? endpoint)
    {
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            return endpoint.Trim();
        }

        string? dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            return dockerHost.Trim();
        }

        return OperatingSystem.IsWindows() ? "npipe://./pipe/docker_engine" : "unix:///var/run/docker.sock";
    }

    /// <summary>
    /// Builds the context with BuildKit and returns the image id. The image gets no tag here: tags are
    /// applied only after the build succeeded, so a failed build never moves a tag.
    /// </summary>
    public async Task<string> BuildAsync(BuildContext context, IDictionary<string, string> buildArgs, bool buildKit, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        var parameters = new ImageBuildParameters
        {
            Version = buildKit ? "2" : "1",
            Dockerfile = "Dockerfile",
            // The host network: the default bridge may be absent, and package indexes on loopback stay reachable.
            NetworkMode = "host",
            BuildArgs = buildArgs,
            Remove = true,
            ForceRemove = true,
        };

        var reporter = new BuildProgressReporter(log);
        string? imageId = null;
        string? error = null;
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
                    HandleBuildLine(line, reporter, log, ref imageId, ref error);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw Errors.Create(Errors.BuildCancelled);
            }
            catch (DockerApiException e)
            {
                error = e.ResponseBody is { Length: > 0 } body ? ErrorMessageOf(body) : e.Message;
            }
            catch (IOException e)
            {
                throw Errors.Create(Errors.BuildFailed, e, $"the connection to the engine at {Endpoint} broke: {e.Message}");
            }
        }

        if (reporter.Failure is { } failure)
        {
            throw Errors.Create(Errors.BuildStepFailed, failure.Step, failure.Error, failure.LogTail);
        }

        if (error is not null || imageId is null)
        {
            throw Errors.Create(Errors.BuildFailed, error ?? "the engine reported no image id");
        }

        log.Info($"  Built {imageId[..Math.Min(19, imageId.Length)]} in {(DateTime.UtcNow - started).TotalSeconds:0.0}s ({reporter.CachedStepCount} of {reporter.StepCount} steps cached).");
        return imageId;
    }

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

    /// <summary>Pushes one tag and returns the manifest digest the registry reported.</summary>
    public async Task<string> PushAsync(ImageReference reference, AuthConfig credentials, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(log);
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

        if (error is not null)
        {
            throw PushError(reference, error);
        }

        return digest ?? throw Errors.Create(Errors.PushFailed, reference, "the registry reported no manifest digest");
    }

    private static PyContainerException PushError(ImageReference reference, string error)
    {
        string registry = reference.Registry ?? "docker.io";
        if (error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
            || error.Contains("authentication required", StringComparison.OrdinalIgnoreCase)
            || error.Contains("denied", StringComparison.OrdinalIgnoreCase)
            || error.Contains("no basic auth credentials", StringComparison.OrdinalIgnoreCase))
        {
            return Errors.Create(Errors.PushUnauthorized, registry, reference, error);
        }

        if (error.Contains("connection refused", StringComparison.OrdinalIgnoreCase)
            || error.Contains("no such host", StringComparison.OrdinalIgnoreCase)
            || error.Contains("i/o timeout", StringComparison.OrdinalIgnoreCase))
        {
            return Errors.Create(Errors.RegistryUnreachable, registry, error);
        }

        return Errors.Create(Errors.PushFailed, reference, error);
    }

    private static void HandleBuildLine(string line, BuildProgressReporter reporter, IBuildLog log, ref string? imageId, ref string? error)
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

    public void Dispose() => _client.Dispose();

    /// <summary>Progress that runs its callback on the reporting thread, so no message is lost or reordered.</summary>
    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
