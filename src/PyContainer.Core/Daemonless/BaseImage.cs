using System.Runtime.InteropServices;
using System.Text.Json;
using PyContainer.Diagnostics;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Daemonless;

/// <summary>
/// A base image as its registry serves it, read without any engine: the platform's manifest, its config, its layers
/// (referenced by the new image, never unpacked into it) and the <see cref="BaseImageFacts"/> they hold. The facts
/// cost one pass over the layers, so they are kept in the download cache under the manifest digest.
/// </summary>
public sealed class BaseImage
{
    private BaseImage(RemoteImage reference, string manifestDigest, IReadOnlyList<Descriptor> layers, byte[] configJson, BaseImageFacts facts)
    {
        Reference = reference;
        ManifestDigest = manifestDigest;
        Layers = layers;
        ConfigJson = configJson;
        Facts = facts;
    }

    public RemoteImage Reference { get; }

    /// <summary>The platform manifest's digest (what the new image's base.digest annotation names).</summary>
    public string ManifestDigest { get; }

    public IReadOnlyList<Descriptor> Layers { get; }

    /// <summary>The base image's config document (architecture, os, config.Env, rootfs, history) as the registry serves it.</summary>
    public byte[] ConfigJson { get; }

    public BaseImageFacts Facts { get; }

    /// <summary>The OCI architecture of the machine that builds (amd64, arm64): the platform taken from a multi-platform base.</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        _ => "amd64",
    };

    /// <summary>Reads the base image <paramref name="reference"/> for this machine's platform from its registry (layers through the cache).</summary>
    public static async Task<BaseImage> ResolveAsync(RemoteImage reference, RegistryClient registry, DownloadCache cache, IBuildLog log, CancellationToken cancellationToken) =>
        (await ResolveAsync(reference, null, registry, cache, log, cancellationToken))[0];

    /// <summary>
    /// Reads the base image <paramref name="reference"/> once per platform (null: this machine's, taken from an index
    /// as before). Every platform's manifest is chosen before anything is downloaded, so a platform the image lacks
    /// is PYC4007 first; a single-platform base whose config names another platform is PYC4007 too.
    /// </summary>
    public static async Task<IReadOnlyList<BaseImage>> ResolveAsync(RemoteImage reference, IReadOnlyList<Platform>? platforms, RegistryClient registry, DownloadCache cache, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(log);
        string name = reference.ToString();
        ManifestResponse top = await registry.GetManifestAsync(reference.Repository, reference.Digest ?? reference.Tag ?? "latest", cancellationToken);
        IReadOnlyList<Platform> wanted = platforms ?? [new Platform(HostArchitecture, "linux")];
        List<Descriptor> chosen = [.. wanted.Select(p => PlatformManifests.Select(top, p.Os, p.Architecture, p.Variant, name))];
        var images = new List<BaseImage>();
        for (int i = 0; i < wanted.Count; i++)
        {
            ManifestResponse manifest = top.IsIndex ? await registry.GetManifestAsync(reference.Repository, chosen[i].Digest, cancellationToken) : top;
            images.Add(await ReadAsync(reference, manifest, platforms?[i], registry, cache, log, cancellationToken));
        }

        return images;
    }

    private static async Task<BaseImage> ReadAsync(RemoteImage reference, ManifestResponse manifest, Platform? platform, RegistryClient registry, DownloadCache cache, IBuildLog log, CancellationToken cancellationToken)
    {
        string name = reference.ToString();
        OciManifest parsed = OciManifest.Parse(manifest.Content);
        byte[] configBytes;
        await using (Stream configStream = await registry.GetBlobAsync(reference.Repository, parsed.Config.Digest, cancellationToken))
        using (var buffer = new MemoryStream())
        {
            await configStream.CopyToAsync(buffer, cancellationToken);
            configBytes = buffer.ToArray();
        }

        if (Digests.Sha256(configBytes) != parsed.Config.Digest)
        {
            throw Errors.Create(Errors.BaseImageUnusable, name, $"its config arrived with another digest than {parsed.Config.Digest}");
        }

        JsonElement config = JsonDocument.Parse(configBytes).RootElement.Clone();
        if (platform is not null && !manifest.IsIndex)
        {
            CheckPlatform(name, manifest, config, platform);
        }

        BaseImageFacts facts = await FactsAsync(reference, registry, cache, manifest.Digest, parsed.Layers, config, log, cancellationToken);
        string which = platform is null ? "" : $" for {platform}";
        log.Info($"  Base image {name}{which} ({manifest.Digest[..19]}): Python {facts.PythonFullVersion} at {facts.Interpreter}, {facts.Libc ?? "unknown C library"} {facts.LibcVersion}");
        return new BaseImage(reference, manifest.Digest, parsed.Layers, configBytes, facts);
    }

    /// <summary>A single-platform base (no index) serves one platform: the one its config names (PYC4007 for any other).</summary>
    private static void CheckPlatform(string name, ManifestResponse manifest, JsonElement config, Platform wanted)
    {
        string? Text(string property) => config.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var offered = new Platform(Text("architecture") ?? "amd64", Text("os") ?? "linux") { Variant = Text("variant") };
        var entry = new Descriptor(manifest.MediaType, manifest.Digest, manifest.Content.LongLength) { Platform = offered };
        var asIndex = new ManifestResponse(MediaTypes.OciIndex, manifest.Digest, new OciIndex([entry]).ToJson());
        _ = PlatformManifests.Select(asIndex, wanted.Os, wanted.Architecture, wanted.Variant, name);
    }

    private static IEnumerable<(string Name, string Value)> EnvironmentOf(JsonElement config)
    {
        if (config.TryGetProperty("config", out JsonElement inner) && inner.ValueKind == JsonValueKind.Object
            && inner.TryGetProperty("Env", out JsonElement env) && env.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in env.EnumerateArray())
            {
                string text = item.GetString() ?? "";
                int equals = text.IndexOf('=', StringComparison.Ordinal);
                yield return equals < 0 ? (text, "") : (text[..equals], text[(equals + 1)..]);
            }
        }
    }

    private static async Task<BaseImageFacts> FactsAsync(RemoteImage reference, RegistryClient registry, DownloadCache cache, string manifestDigest, IReadOnlyList<Descriptor> layers, JsonElement config, IBuildLog log, CancellationToken cancellationToken)
    {
        string factsPath = cache.FactsPath(manifestDigest);
        if (File.Exists(factsPath) && JsonSerializer.Deserialize<BaseImageFacts>(await File.ReadAllTextAsync(factsPath, cancellationToken)) is { } known)
        {
            return known;
        }

        log.Info($"  Reading the layers of {reference} once, for its Python interpreter and C library");
        var scanner = new BaseImageScanner();
        foreach (Descriptor layer in layers)
        {
            string blob = await cache.BlobAsync(layer.Digest, reference.ToString(), token => registry.GetBlobAsync(reference.Repository, layer.Digest, token), cancellationToken);
            await using FileStream file = File.OpenRead(blob);
            scanner.AddLayer(file);
        }

        string path = EnvironmentOf(config).FirstOrDefault(v => v.Name == "PATH").Value ?? "/usr/local/bin:/usr/bin:/bin";
        string? pythonVersion = EnvironmentOf(config).FirstOrDefault(v => v.Name == "PYTHON_VERSION").Value;
        BaseImageFacts facts = scanner.Facts(path, pythonVersion)
            ?? throw Errors.Create(Errors.BaseImageUnusable, reference.ToString(), $"no python3 is on its PATH ({path}): a daemonless build needs a Python base image");
        Directory.CreateDirectory(Path.GetDirectoryName(factsPath)!);
        await File.WriteAllTextAsync(factsPath, JsonSerializer.Serialize(facts), cancellationToken);
        return facts;
    }
}
