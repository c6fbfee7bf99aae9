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

    /// <summary>Reads the base image <paramref name="reference"/> from its registry (layers through the cache).</summary>
    public static async Task<BaseImage> ResolveAsync(RemoteImage reference, RegistryClient registry, DownloadCache cache, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(log);
        string name = reference.ToString();
        ManifestResponse manifest = await registry.GetManifestAsync(reference.Repository, reference.Digest ?? reference.Tag ?? "latest", cancellationToken);
        if (manifest.MediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList)
        {
            Descriptor chosen = PlatformManifests.Select(manifest, "linux", HostArchitecture, null);
            manifest = await registry.GetManifestAsync(reference.Repository, chosen.Digest, cancellationToken);
        }

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
        BaseImageFacts facts = await FactsAsync(reference, registry, cache, manifest.Digest, parsed.Layers, config, log, cancellationToken);
        log.Info($"  Base image {name} ({manifest.Digest[..19]}): Python {facts.PythonFullVersion} at {facts.Interpreter}, {facts.Libc ?? "unknown C library"} {facts.LibcVersion}");
        return new BaseImage(reference, manifest.Digest, parsed.Layers, configBytes, facts);
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
