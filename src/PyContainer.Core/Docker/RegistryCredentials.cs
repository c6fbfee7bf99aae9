using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;

namespace PyContainer.Docker;

/// <summary>Credentials for one registry and where they came from (the source is safe to log; the values never are).</summary>
public sealed record RegistryCredential(AuthConfig Auth, string Source);

/// <summary>
/// Finds the credentials for pushing to a registry, in the order the .NET SDK's container support uses:
/// DOTNET_CONTAINER_PUSH_REGISTRY_UNAME/PWORD, then DOTNET_CONTAINER_REGISTRY_UNAME/PWORD, then the
/// docker config.json's "auths" entry for the registry, then its "credHelpers" entry, then its "credsStore".
/// Credentials are handed to the engine only, never logged.
/// </summary>
public static class RegistryCredentials
{
    private const string DockerHubServer = "https://index.docker.io/v1/";

    public static AuthConfig Find(string? registry, Func<string, string?>? environment = null, string? dockerConfigPath = null) =>
        Resolve(registry, environment, dockerConfigPath).Auth;

    /// <param name="registry">The registry host (and port); null or empty for Docker Hub.</param>
    /// <param name="environment">Environment lookup; the process environment when null.</param>
    /// <param name="dockerConfigPath">The docker config.json; $DOCKER_CONFIG/config.json or ~/.docker/config.json when null.</param>
    /// <param name="helper">Runs a docker credential helper; <see cref="CredentialHelper.Get"/> when null.</param>
    public static RegistryCredential Resolve(string? registry, Func<string, string?>? environment = null, string? dockerConfigPath = null, Func<string, string, CredentialHelperResult>? helper = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        helper ??= CredentialHelper.Get;
        string server = string.IsNullOrEmpty(registry) ? DockerHubServer : registry;

        foreach (string prefix in new[] { "DOTNET_CONTAINER_PUSH_REGISTRY", "DOTNET_CONTAINER_REGISTRY" })
        {
            string? user = environment(prefix + "_UNAME");
            string? password = environment(prefix + "_PWORD");
            if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(password))
            {
                return new(new AuthConfig { Username = user, Password = password, ServerAddress = server }, $"{prefix}_UNAME/_PWORD");
            }
        }

        string configPath = dockerConfigPath ?? DefaultDockerConfigPath(environment);
        return FromDockerConfig(server, configPath, helper)
            // Anonymous: an empty auth header, which engines accept for registries without auth.
            ?? new(new AuthConfig { ServerAddress = server }, "none (anonymous)");
    }

    private static string DefaultDockerConfigPath(Func<string, string?> environment)
    {
        string directory = environment("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return Path.Combine(directory, "config.json");
    }

    private static RegistryCredential? FromDockerConfig(string server, string path, Func<string, string, CredentialHelperResult> helper)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = config.RootElement;
        if (FromAuths(server, root) is { } fromAuths)
        {
            return new(fromAuths, path + " auths");
        }

        if (root.TryGetProperty("credHelpers", out JsonElement helpers) && helpers.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in helpers.EnumerateObject())
            {
                if (SameRegistry(entry.Name, server) && entry.Value.GetString() is { Length: > 0 } name)
                {
                    return FromHelper(name, server, helper, "credHelpers");
                }
            }
        }

        return root.TryGetProperty("credsStore", out JsonElement store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } storeName
            ? FromHelper(storeName, server, helper, "credsStore")
            : null;
    }

    private static AuthConfig? FromAuths(string server, JsonElement root)
    {
        if (!root.TryGetProperty("auths", out JsonElement auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (JsonProperty entry in auths.EnumerateObject())
        {
            if (!SameRegistry(entry.Name, server) || entry.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (entry.Value.TryGetProperty("identitytoken", out JsonElement token) && token.GetString() is { Length: > 0 } identityToken)
            {
                return new AuthConfig { IdentityToken = identityToken, ServerAddress = server };
            }

            if (!entry.Value.TryGetProperty("auth", out JsonElement auth) || auth.GetString() is not { Length: > 0 } encoded)
            {
                continue;
            }

            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                return new AuthConfig { Username = decoded[..colon], Password = decoded[(colon + 1)..], ServerAddress = server };
            }
        }

        return null;
    }

    private static RegistryCredential? FromHelper(string name, string server, Func<string, string, CredentialHelperResult> helper, string configKey)
    {
        // Docker asks helpers by host, except for Docker Hub, whose key is the historic v1 URL.
        string helperServer = server == DockerHubServer ? server : HostOf(server);
        CredentialHelperResult result = helper(name, helperServer);
        string source = $"docker-credential-{name} ({configKey})";
        if (result.Username is null || result.Secret is null)
        {
            return new(new AuthConfig { ServerAddress = server }, $"none (anonymous: {source} {result.Absence})");
        }

        // A "<token>" user means the secret is an identity (refresh) token, as docker login stores it.
        AuthConfig auth = result.Username == "<token>"
            ? new AuthConfig { IdentityToken = result.Secret, ServerAddress = server }
            : new AuthConfig { Username = result.Username, Password = result.Secret, ServerAddress = server };
        return new(auth, source);
    }

    /// <summary>config.json keys may carry a scheme and path ("https://index.docker.io/v1/"); compare hosts.</summary>
    private static bool SameRegistry(string key, string server) =>
        string.Equals(NormalizedHost(key), NormalizedHost(server), StringComparison.OrdinalIgnoreCase);

    /// <summary>Docker Hub goes by several names; config.json files use the v1 URL's host.</summary>
    private static string NormalizedHost(string value) => HostOf(value).ToLowerInvariant() switch
    {
        "docker.io" or "registry-1.docker.io" or "index.docker.io" => "index.docker.io",
        var host => host,
    };

    private static string HostOf(string value)
    {
        string host = value.Contains("://", StringComparison.Ordinal) ? value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..] : value;
        int slash = host.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? host[..slash] : host;
    }
}
