using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;

namespace PyContainer.Registry;

/// <summary>
/// Finds the credentials for pushing to a registry, in the order the .NET SDK's container support uses:
/// DOTNET_CONTAINER_PUSH_REGISTRY_UNAME/PWORD, then DOTNET_CONTAINER_REGISTRY_UNAME/PWORD, then the
/// docker config.json's "auths" entry for the registry. Credentials are handed to the engine only,
/// never logged.
/// </summary>
public static class RegistryCredentials
{
    public static AuthConfig Find(string? registry, Func<string, string?>? environment = null, string? dockerConfigPath = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string server = string.IsNullOrEmpty(registry) ? "https://index.docker.io/v1/" : registry;

        foreach (string prefix in new[] { "DOTNET_CONTAINER_PUSH_REGISTRY", "DOTNET_CONTAINER_REGISTRY" })
        {
            string? user = environment(prefix + "_UNAME");
            string? password = environment(prefix + "_PWORD");
            if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(password))
            {
                return new AuthConfig { Username = user, Password = password, ServerAddress = server };
            }
        }

        return FromDockerConfig(server, dockerConfigPath ?? DefaultDockerConfigPath(environment))
            // Anonymous: an empty auth header, which engines accept for registries without auth.
            ?? new AuthConfig { ServerAddress = server };
    }

    private static string DefaultDockerConfigPath(Func<string, string?> environment)
    {
        string directory = environment("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return Path.Combine(directory, "config.json");
    }

    private static AuthConfig? FromDockerConfig(string server, string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(path));
        if (!config.RootElement.TryGetProperty("auths", out JsonElement auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (JsonProperty entry in auths.EnumerateObject())
        {
            if (!SameRegistry(entry.Name, server) || !entry.Value.TryGetProperty("auth", out JsonElement auth) || auth.GetString() is not { Length: > 0 } encoded)
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

    /// <summary>config.json keys may carry a scheme and path ("https://index.docker.io/v1/"); compare hosts.</summary>
    private static bool SameRegistry(string key, string server) =>
        string.Equals(HostOf(key), HostOf(server), StringComparison.OrdinalIgnoreCase);

    private static string HostOf(string value)
    {
        string host = value.Contains("://", StringComparison.Ordinal) ? value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..] : value;
        int slash = host.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? host[..slash] : host;
    }
}
