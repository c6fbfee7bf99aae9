using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PyContainer.Oci;

/// <summary>
/// An image's config JSON, started from the base image's and changed as the Dockerfile instructions of the
/// Dockerfile mode's runner stage would change it (Docker's field names: Env, Cmd, Entrypoint, User, WorkingDir,
/// ExposedPorts, Volumes, Labels, Healthcheck). <see cref="ToJson"/> gives the same bytes for the same calls.
/// </summary>
public sealed partial class ImageConfig
{
    private const string UserKey = "User";
    private const string WorkingDirKey = "WorkingDir";
    private const string EntrypointKey = "Entrypoint";
    private const string CmdKey = "Cmd";
    private const string EnvKey = "Env";
    private const string HealthcheckKey = "Healthcheck";
    private static readonly string[] SortedMaps = ["ExposedPorts", "Volumes", "Labels"];

    private readonly JsonObject _config;
    private readonly List<string> _diffIds;
    private readonly List<JsonObject> _history;
    private readonly string _created;
    private bool _cmdSet;

    private ImageConfig(JsonObject config, List<string> diffIds, List<JsonObject> history, DateTimeOffset created)
    {
        _config = config;
        _diffIds = diffIds;
        _history = history;
        _created = FormatTime(created);
        Created = created;
    }

    public string Architecture { get; private init; } = "";

    public string Os { get; private init; } = "";

    public string? Variant { get; private set; }

    public string? OsVersion { get; private init; }

    private JsonNode? OsFeatures { get; init; }

    /// <summary>The time the image is said to be made ("created", and each new history entry's).</summary>
    public DateTimeOffset Created { get; }

    /// <summary>The layers' DiffIds, bottom first (the base's, then those added).</summary>
    public IReadOnlyList<string> DiffIds => _diffIds;

    /// <summary>How many history entries there are (one per layer plus the empty-layer instructions).</summary>
    public int HistoryCount => _history.Count;

    public string? User => (string?)_config[UserKey];

    public string? WorkingDirectory => (string?)_config[WorkingDirKey];

    public IReadOnlyList<string>? Entrypoint => Strings(EntrypointKey);

    public IReadOnlyList<string>? Cmd => Strings(CmdKey);

    /// <summary>"NAME=value" entries in order.</summary>
    public IReadOnlyList<string> Environment => Strings(EnvKey) ?? [];

    /// <summary>
    /// Starts from the base image's config: keeps its platform, config, layers (rootfs.diff_ids) and history;
    /// <paramref name="created"/> becomes the image's creation time. Invalid JSON is PYC3022.
    /// </summary>
    public static ImageConfig FromBase(byte[] baseConfigJson, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(baseConfigJson);
        string what = "config " + Digests.Sha256(baseConfigJson);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(baseConfigJson) as JsonObject ?? throw OciJson.Invalid(what, "it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw OciJson.Invalid(what, "it is not valid JSON (" + e.Message + ")");
        }

        var config = root["config"] as JsonObject ?? [];
        List<string> diffIds = [.. (root["rootfs"]?["diff_ids"] as JsonArray ?? []).Select(d => (string?)d ?? "")];
        if (diffIds.FirstOrDefault(d => !Digests.IsSha256(d)) is { } bad)
        {
            throw OciJson.Invalid(what, $"its rootfs.diff_ids has '{bad}', not a sha256 digest");
        }

        List<JsonObject> history = [.. (root["history"] as JsonArray ?? []).OfType<JsonObject>().Select(h => (JsonObject)h.DeepClone())];
        return new ImageConfig((JsonObject)config.DeepClone(), diffIds, history, created)
        {
            Architecture = Text(root, "architecture", what) ?? "",
            Os = Text(root, "os", what) ?? "",
            Variant = Text(root, "variant", what),
            OsVersion = Text(root, "os.version", what),
            OsFeatures = root["os.features"]?.DeepClone(),
        };
    }

    /// <summary>The CPU variant (v8 for arm64) where the base config does not say one: an index entry and its config agree.</summary>
    public void SetVariantIfMissing(string variant)
    {
        ArgumentException.ThrowIfNullOrEmpty(variant);
        Variant ??= variant;
    }

    /// <summary>Docker's ENV: replaces the variable where it is, else appends it.</summary>
    public void SetEnvironment(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a variable name: it has an '='.", nameof(name));
        }

        var env = _config[EnvKey] as JsonArray;
        if (env is null)
        {
            env = [];
            _config[EnvKey] = env;
        }

        for (int i = 0; i < env.Count; i++)
        {
            if (((string?)env[i])?.StartsWith(name + "=", StringComparison.Ordinal) == true)
            {
                env[i] = name + "=" + value;
                return;
            }
        }

        env.Add(name + "=" + value);
    }

    /// <summary>The variable's value (the base's or one set here), or null.</summary>
    public string? GetEnvironment(string name) =>
        Environment.FirstOrDefault(e => e.StartsWith(name + "=", StringComparison.Ordinal)) is { } entry ? entry[(name.Length + 1)..] : null;

    public void SetUser(string user) => _config[UserKey] = user ?? throw new ArgumentNullException(nameof(user));

    public void SetWorkingDirectory(string directory) => _config[WorkingDirKey] = directory ?? throw new ArgumentNullException(nameof(directory));

    /// <summary>Docker's EXPOSE: "8000" or "8000/tcp" is the key "8000/tcp"; "53/udp" stays udp.</summary>
    public void ExposePort(string port)
    {
        ArgumentException.ThrowIfNullOrEmpty(port);
        string[] parts = port.Split('/');
        string protocol = parts.Length == 2 ? parts[1].ToLowerInvariant() : "tcp";
        if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            || number is < 1 or > 65535 || protocol is not ("tcp" or "udp" or "sctp"))
        {
            throw new ArgumentException($"'{port}' is not a port (a number from 1 to 65535, optionally /tcp, /udp or /sctp).", nameof(port));
        }

        Map("ExposedPorts")[number.ToString(CultureInfo.InvariantCulture) + "/" + protocol] = new JsonObject();
    }

    /// <summary>Docker's VOLUME.</summary>
    public void AddVolume(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Map("Volumes")[path] = new JsonObject();
    }

    /// <summary>Docker's LABEL (replaces a base image's label of that name).</summary>
    public void SetLabel(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Map("Labels")[name] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Docker's ENTRYPOINT (exec form): a Cmd inherited from the base is cleared, one set here stays.</summary>
    public void SetEntrypoint(IReadOnlyList<string> entrypoint)
    {
        ArgumentNullException.ThrowIfNull(entrypoint);
        _config[EntrypointKey] = StringArray(entrypoint);
        if (!_cmdSet)
        {
            _config.Remove(CmdKey);
        }
    }

    /// <summary>Docker's CMD (exec form).</summary>
    public void SetCmd(IReadOnlyList<string> cmd)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        _config[CmdKey] = StringArray(cmd);
        _cmdSet = true;
    }

    /// <summary>Docker's HEALTHCHECK: durations in nanoseconds, unset values left out as Docker leaves them out.</summary>
    public void SetHealthCheck(HealthCheck healthCheck)
    {
        ArgumentNullException.ThrowIfNull(healthCheck);
        var check = new JsonObject { ["Test"] = StringArray(healthCheck.Test) };
        AddDuration(check, "Interval", healthCheck.Interval);
        AddDuration(check, "Timeout", healthCheck.Timeout);
        AddDuration(check, "StartPeriod", healthCheck.StartPeriod);
        AddDuration(check, "StartInterval", healthCheck.StartInterval);
        if (healthCheck.Retries is > 0 and int retries)
        {
            check["Retries"] = retries;
        }

        _config[HealthcheckKey] = check;
    }

    /// <summary>Adds a layer on top: its DiffId and a history entry made by <paramref name="createdBy"/>.</summary>
    public void AddLayer(string diffId, string createdBy, string? comment = null)
    {
        if (!Digests.IsSha256(diffId))
        {
            throw new ArgumentException($"'{diffId}' is not a sha256 digest.", nameof(diffId));
        }

        _diffIds.Add(diffId);
        AddHistory(createdBy, emptyLayer: false, comment);
    }

    /// <summary>A history entry; <paramref name="emptyLayer"/> for an instruction that adds no layer (ENV, CMD ...).</summary>
    public void AddHistory(string createdBy, bool emptyLayer, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(createdBy);
        var entry = new JsonObject { ["created"] = _created, ["created_by"] = createdBy };
        if (comment is not null)
        {
            entry["comment"] = comment;
        }

        if (emptyLayer)
        {
            entry["empty_layer"] = true;
        }

        _history.Add(entry);
    }
}
