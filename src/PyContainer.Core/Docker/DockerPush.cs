using System.Net.Http;
using Docker.DotNet;
using Docker.DotNet.Models;
using PyContainer.Diagnostics;
using PyContainer.Images;
using PyContainer.Model;

namespace PyContainer.Docker;

/// <summary>
/// Pushes one tag through the engine and returns the manifest digest the registry reported. Failures are
/// classified by <see cref="PushFailureClassifier"/>: retryable ones (connection reset, 5xx, timeouts) are
/// retried with exponential backoff; refused credentials never are.
/// </summary>
internal sealed class DockerPush(DockerClient client, IBuildLog log)
{
    /// <summary>Attempts of a push that fails for a transient reason.</summary>
    private const int PushAttempts = 3;

    public async Task<string> PushAsync(ImageReference reference, RegistryCredential credential, CancellationToken cancellationToken)
    {
        AuthConfig auth = AuthOf(credential);
        bool registryAnswered = false;
        for (int attempt = 1; ; attempt++)
        {
            (string? digest, string? error) = await PushOnceAsync(reference, auth, cancellationToken);
            if (error is null)
            {
                return digest ?? throw Errors.Create(Errors.PushFailed, reference, "the registry reported no manifest digest");
            }

            PushFailure failure = PushFailureClassifier.Classify(error);
            if (attempt == PushAttempts || !failure.Retry)
            {
                throw PushFailureClassifier.ToException(PushFailureClassifier.Final(failure, registryAnswered), reference, error);
            }

            registryAnswered |= failure.Code == Errors.PushFailed;

            var wait = TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
            log.Info($"  Push of {reference} failed ({error}); retrying in {wait.TotalSeconds:0} s (attempt {attempt + 1} of {PushAttempts}).");
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>The engine's form of the credentials; an anonymous push still names the server.</summary>
    private static AuthConfig AuthOf(RegistryCredential credential) => new()
    {
        ServerAddress = credential.ServerAddress,
        Username = credential.Username,
        Password = credential.Password,
        IdentityToken = credential.IdentityToken,
    };

    private async Task<(string? Digest, string? Error)> PushOnceAsync(ImageReference reference, AuthConfig auth, CancellationToken cancellationToken)
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
                // "TAG: digest: sha256:... size: N": Docker's aux says it too, Podman's push says it only here.
                digest ??= DigestInStatus(status);
                log.Detail($"  {(message.ID is null ? "" : message.ID + ": ")}{status}");
            }
        });

        try
        {
            await client.Images.PushImageAsync(reference.Name, new ImagePushParameters { Tag = reference.Tag }, auth, progress, cancellationToken);
        }
        catch (DockerApiException e)
        {
            error ??= DockerEngine.ErrorMessageOf(e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
        {
            error ??= "the connection to the engine broke: " + e.GetBaseException().Message;
        }

        return (digest, error);
    }

    internal static string? DigestInStatus(string status)
    {
        const string Marker = ": digest: sha256:";
        int at = status.IndexOf(Marker, StringComparison.Ordinal);
        string? digest = at < 0 ? null : status.Substring(at + Marker.Length - "sha256:".Length).Split(' ')[0];
        return digest is not null && Oci.Digests.IsSha256(digest) ? digest : null;
    }

    /// <summary>Progress that runs its callback on the reporting thread, so no message is lost or reordered.</summary>
    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
