using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PyContainer.Diagnostics;

namespace PyContainer.Docker;

/// <summary>One "auths" entry of config.json: a base64 "user:password", or an identity (refresh) token.</summary>
public sealed record DockerConfigAuth(string? Username, string? Password, string? IdentityToken)
{
    // A record prints every member; this one holds secrets, so it prints none.
    public override string ToString() => "DockerConfigAuth { *** }";
}

/// <summary>
/// The docker client configuration, as the docker CLI finds it: the folder is $DOCKER_CONFIG when set, else
/// ".docker" in the user's home ($HOME on Linux and macOS, %USERPROFILE% on Windows, as the CLI's homedir.Get;
/// the OS's idea of the profile folder only when that variable is unset). The folder is resolved once, and its
/// config.json read and checked once, on first use: a malformed file is PYC3009 naming it, never a crash.
/// Registry credentials (auths, credHelpers, credsStore) and endpoint resolution (currentContext, contexts/,
/// the default TLS certificate folder) all read this one value.
/// </summary>
public sealed class DockerConfig
{
    private readonly Lazy<Parsed> _parsed;

    private DockerConfig(string directory, string filePath)
    {
        Directory = directory;
        FilePath = filePath;
        _parsed = new Lazy<Parsed>(() => Parse(FilePath));
    }

    /// <summary>The config folder (contexts/ and the default certificates live here).</summary>
    public string Directory { get; }

    /// <summary>The config.json; it need not exist.</summary>
    public string FilePath { get; }

    /// <summary>"currentContext", or null.</summary>
    public string? CurrentContext => _parsed.Value.CurrentContext;

    /// <summary>"auths" entries by registry key (as written: a host, or a URL such as https://index.docker.io/v1/).</summary>
    public IReadOnlyDictionary<string, DockerConfigAuth> Auths => _parsed.Value.Auths;

    /// <summary>"credHelpers": the helper's name (docker-credential-NAME) by registry key.</summary>
    public IReadOnlyDictionary<string, string> CredentialHelpers => _parsed.Value.CredentialHelpers;

    /// <summary>"credsStore": the helper for every registry without an entry of its own, or null.</summary>
    public string? CredentialStore => _parsed.Value.CredentialStore;

    /// <summary>
    /// The engine of docker context <paramref name="name"/>: Endpoints.docker.Host of contexts/meta/&lt;sha256 of the
    /// name&gt;/meta.json, with contexts/tls/&lt;same&gt;/docker when it holds a client certificate. A context that is
    /// not there, or names no docker host, is PYC3030 naming it (the docker CLI refuses it too; falling through to
    /// another engine would build somewhere the user did not choose); a meta.json that is not JSON is PYC3009.
    /// </summary>
    /// <param name="name">The context's name.</param>
    /// <param name="chosenBy">What named it (DOCKER_CONTEXT, or config.json's currentContext), for the error.</param>
    public (string Host, string? TlsDirectory) ContextEndpoint(string name, string chosenBy)
    {
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name))).ToLowerInvariant();
        string meta = Path.Combine(Directory, "contexts", "meta", hash, "meta.json");
        if (!File.Exists(meta))
        {
            throw Errors.Create(Errors.DockerContextMissing, name, chosenBy, $"no context of that name exists in {Path.Combine(Directory, "contexts")} ({meta} is missing)");
        }

        string? host;
        try
        {
            using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(meta));
            host = Member(Member(Member(metadata.RootElement, "Endpoints"), "docker"), "Host") is { ValueKind: JsonValueKind.String } value
                ? value.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw Malformed(meta, $"it is not valid JSON ({e.Message})", e);
        }

        if (host is not { Length: > 0 })
        {
            throw Errors.Create(Errors.DockerContextMissing, name, chosenBy, $"its {meta} names no docker endpoint (Endpoints.docker.Host)");
        }

        string tls = Path.Combine(Directory, "contexts", "tls", hash, "docker");
        return (host, File.Exists(Path.Combine(tls, "cert.pem")) ? tls : null);
    }

    /// <param name="environment">Environment lookup (DOCKER_CONFIG, HOME, USERPROFILE).</param>
    /// <param name="fileSystemRoot">Prefix of every absolute path ("/" normally; a test folder in tests).</param>
    public static DockerConfig FromEnvironment(Func<string, string?> environment, string fileSystemRoot = "/")
    {
        ArgumentNullException.ThrowIfNull(environment);
        string directory = environment("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : Path.Combine(HomeDirectory(environment), ".docker");
        string rooted = Rooted(fileSystemRoot, directory);
        return new DockerConfig(rooted, Path.Combine(rooted, "config.json"));
    }

    /// <summary>A config.json at an explicit path (tests, tools); its folder is the config folder.</summary>
    public static DockerConfig FromFile(string path) =>
        new(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", path);

    /// <summary><paramref name="path"/> under <paramref name="root"/> when the root is not "/" (tests).</summary>
    internal static string Rooted(string root, string path) =>
        root == "/" || !Path.IsPathRooted(path) ? path : Path.Combine(root, path.TrimStart('/'));

    private static string HomeDirectory(Func<string, string?> environment) =>
        environment(OperatingSystem.IsWindows() ? "USERPROFILE" : "HOME") is { Length: > 0 } home
            ? home
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private sealed record Parsed(
        string? CurrentContext,
        IReadOnlyDictionary<string, DockerConfigAuth> Auths,
        IReadOnlyDictionary<string, string> CredentialHelpers,
        string? CredentialStore);

    private static Parsed Parse(string path)
    {
        var auths = new Dictionary<string, DockerConfigAuth>(StringComparer.Ordinal);
        var helpers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new Parsed(null, auths, helpers, null);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(path, $"it holds a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            foreach (JsonProperty entry in Members(root, "auths"))
            {
                if (ReadAuth(path, entry) is { } auth)
                {
                    auths[entry.Name] = auth;
                }
            }

            foreach (JsonProperty entry in Members(root, "credHelpers"))
            {
                if (entry.Value.ValueKind == JsonValueKind.String && entry.Value.GetString() is { Length: > 0 } name)
                {
                    helpers[entry.Name] = name;
                }
            }

            return new Parsed(StringMember(root, "currentContext"), auths, helpers, StringMember(root, "credsStore"));
        }
        catch (JsonException e)
        {
            // The parser's message has the line and byte position, never the content: no secret is quoted.
            throw Malformed(path, $"it is not valid JSON ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw Malformed(path, $"it cannot be read ({e.Message})", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Malformed(path, $"it cannot be read ({e.Message})", e);
        }
    }

    /// <summary>
    /// Entries without a usable "auth" or "identitytoken" are skipped, as the docker CLI does; an "auth" that is
    /// not base64 is an error, as it is the user's login that cannot be used.
    /// </summary>
    private static DockerConfigAuth? ReadAuth(string path, JsonProperty entry)
    {
        if (entry.Value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (StringMember(entry.Value, "identitytoken") is { Length: > 0 } token)
        {
            return new DockerConfigAuth(null, null, token);
        }

        if (StringMember(entry.Value, "auth") is not { Length: > 0 } encoded)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException e)
        {
            throw Malformed(path, $"the \"auth\" of \"auths\" entry '{entry.Name}' is not base64 of user:password", e);
        }

        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? new DockerConfigAuth(decoded[..colon], decoded[(colon + 1)..], null) : null;
    }

    private static List<JsonProperty> Members(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().ToList() : [];

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement? Member(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(name, out JsonElement member) ? member : null;

    private static PyContainerException Malformed(string path, string why, Exception? inner = null) =>
        Errors.Create(Errors.DockerConfigInvalid, inner, path, why);
}
