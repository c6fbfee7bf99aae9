using PyContainer.Images;

namespace PyContainer.Docker;

/// <summary>
/// Finds the credentials for pushing to a registry, in the order the .NET SDK's container support uses:
/// DOTNET_CONTAINER_PUSH_REGISTRY_UNAME/PWORD, then DOTNET_CONTAINER_REGISTRY_UNAME/PWORD, then the
/// docker config.json's "auths" entry for the registry, then its "credHelpers" entry, then its "credsStore".
/// Credentials are handed to the builder only, never logged.
/// </summary>
public static class RegistryCredentials
{
    private const string DockerHubServer = "https://index.docker.io/v1/";

    /// <param name="registry">The registry host (and port); null or empty for Docker Hub.</param>
    /// <param name="environment">Environment lookup; the process environment when null.</param>
    /// <param name="dockerConfigPath">The docker config.json; the <see cref="DockerConfig"/> of the environment when null.</param>
    /// <param name="helper">Runs a docker credential helper; <see cref="CredentialHelper.Get"/> when null.</param>
    public static RegistryCredential Find(string? registry, Func<string, string?>? environment = null, string? dockerConfigPath = null, Func<string, string, CredentialHelperResult>? helper = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        DockerConfig config = dockerConfigPath is null ? DockerConfig.FromEnvironment(environment) : DockerConfig.FromFile(dockerConfigPath);
        return Resolve(registry, config, environment, helper);
    }

    /// <param name="registry">The registry host (and port); null or empty for Docker Hub.</param>
    /// <param name="config">The docker config to read auths, credHelpers and credsStore from.</param>
    /// <param name="environment">Environment lookup; the process environment when null.</param>
    /// <param name="helper">Runs a docker credential helper; <see cref="CredentialHelper.Get"/> when null.</param>
    public static RegistryCredential Resolve(string? registry, DockerConfig config, Func<string, string?>? environment = null, Func<string, string, CredentialHelperResult>? helper = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        environment ??= Environment.GetEnvironmentVariable;
        helper ??= CredentialHelper.Get;
        string server = string.IsNullOrEmpty(registry) ? DockerHubServer : registry;

        foreach (string prefix in new[] { "DOTNET_CONTAINER_PUSH_REGISTRY", "DOTNET_CONTAINER_REGISTRY" })
        {
            string? user = environment(prefix + "_UNAME");
            string? password = environment(prefix + "_PWORD");
            if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(password))
            {
                return new(server, $"{prefix}_UNAME/_PWORD", user, password);
            }
        }

        return FromDockerConfig(server, config, helper)
            // Anonymous: an empty auth header, which engines accept for registries without auth.
            ?? new(server, "none (anonymous)");
    }

    private static RegistryCredential? FromDockerConfig(string server, DockerConfig config, Func<string, string, CredentialHelperResult> helper)
    {
        foreach (KeyValuePair<string, DockerConfigAuth> entry in config.Auths)
        {
            if (SameRegistry(entry.Key, server))
            {
                DockerConfigAuth auth = entry.Value;
                return new(server, config.FilePath + " auths", auth.Username, auth.Password, auth.IdentityToken);
            }
        }

        foreach (KeyValuePair<string, string> entry in config.CredentialHelpers)
        {
            if (SameRegistry(entry.Key, server))
            {
                return FromHelper(entry.Value, server, helper, "credHelpers");
            }
        }

        return config.CredentialStore is { Length: > 0 } store ? FromHelper(store, server, helper, "credsStore") : null;
    }

    private static RegistryCredential FromHelper(string name, string server, Func<string, string, CredentialHelperResult> helper, string configKey)
    {
        // Docker asks helpers by host, except for Docker Hub, whose key is the historic v1 URL.
        string helperServer = server == DockerHubServer ? server : HostOf(server);
        CredentialHelperResult result = helper(name, helperServer);
        string source = $"docker-credential-{name} ({configKey})";
        if (result.Username is null || result.Secret is null)
        {
            return new(server, $"none (anonymous: {source} {result.Absence})");
        }

        // A "<token>" user means the secret is an identity (refresh) token, as docker login stores it.
        return result.Username == "<token>"
            ? new(server, source, IdentityToken: result.Secret)
            : new(server, source, result.Username, result.Secret);
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
