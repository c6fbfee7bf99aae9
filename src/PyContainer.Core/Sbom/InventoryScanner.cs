using PyContainer.Python.Wheels;

namespace PyContainer.Sbom;

/// <summary>
/// Reads an image's own layers (not its base's), bottom first, for an <see cref="ImageInventory"/>: the Python
/// distributions whose <c>*.dist-info/METADATA</c> is there, and the dpkg packages whose
/// <c>var/lib/dpkg/info/NAME[:ARCH].list</c> these layers wrote, with the version and architecture the last
/// <c>var/lib/dpkg/status</c> of these layers gives (so no base layer needs reading). Whiteouts remove what they name.
/// </summary>
public sealed class InventoryScanner
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    /// <summary>Adds one layer (a tar, gzip-compressed or plain) over the ones added before it.</summary>
    public void AddLayer(Stream layer) => Add(LayerContents.Read(layer));

    /// <summary>The distributions found, sorted by name (ordinal); wheel hashes by normalized name and version.</summary>
    /// <param name="wheelHashes">The sha256 of the wheel each distribution was installed from, keyed by <see cref="WheelKey"/>; null when unknown.</param>
    public IReadOnlyList<PythonDistribution> PythonDistributions(IReadOnlyDictionary<string, string>? wheelHashes = null) =>
        [.. _files
            .Where(f => f.Key.EndsWith("/METADATA", StringComparison.Ordinal))
            .Select(f => DistributionMetadata.Parse(f.Value))
            .OfType<PythonDistribution>()
            .Select(d => wheelHashes is not null && wheelHashes.TryGetValue(WheelKey(d.Name, d.Version), out string? sha) ? d with { Sha256 = sha } : d)
            .Distinct()
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ThenBy(d => d.Version, StringComparer.Ordinal)];

    /// <summary>The dpkg packages these layers installed, sorted by name (ordinal).</summary>
    public IReadOnlyList<OsPackage> OsPackages()
    {
        IReadOnlyDictionary<string, OsPackage> installed = _files.TryGetValue(LayerContents.DpkgStatus, out string? status)
            ? DpkgStatus.Parse(status)
            : new Dictionary<string, OsPackage>();
        return [.. _files.Keys
            .Where(p => p.StartsWith(LayerContents.DpkgInfo, StringComparison.Ordinal) && p.EndsWith(".list", StringComparison.Ordinal))
            .Select(p => p[LayerContents.DpkgInfo.Length..^".list".Length])
            .Select(name => installed.GetValueOrDefault(name) ?? (name.Contains(':', StringComparison.Ordinal) ? null : installed.Values.FirstOrDefault(p => p.Name == name)))
            .OfType<OsPackage>()
            .Distinct()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Architecture, StringComparer.Ordinal)];
    }

    /// <summary>The key of a wheel hash: the PEP 503 normalized name and the version.</summary>
    public static string WheelKey(string name, string version) => WheelFileName.Normalize(name) + "==" + version;

    internal void Add(LayerContents layer)
    {
        foreach (string folder in layer.Emptied)
        {
            RemoveUnder(folder);
        }

        foreach (string path in layer.Removed)
        {
            _files.Remove(path);
            RemoveUnder(path);
        }

        foreach ((string path, string text) in layer.Files)
        {
            _files[path] = text;
        }
    }

    private void RemoveUnder(string folder)
    {
        string prefix = folder.Length == 0 ? "" : folder + "/";
        foreach (string path in _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _files.Remove(path);
        }
    }
}
