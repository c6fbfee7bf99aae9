using System.Collections;
using Microsoft.Build.Framework;
using PyContainer.Tasks;

namespace PyContainer.Cli;

/// <summary>
/// An input item as MSBuild handed it to the net472 task: its spec, custom metadata and the well-known metadata
/// MSBuild computed there (FullPath, RecursiveDir, DefiningProjectFullPath...), which a TaskItem would recompute
/// or refuse to take.
/// </summary>
internal sealed class ProtocolItem : ITaskItem
{
    private readonly Dictionary<string, string> _metadata = new(StringComparer.OrdinalIgnoreCase);

    public ProtocolItem(string itemSpec, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ItemSpec = itemSpec;
        foreach (KeyValuePair<string, string> entry in metadata)
        {
            _metadata[entry.Key] = entry.Value;
        }
    }

    public string ItemSpec { get; set; }

    public ICollection MetadataNames => _metadata.Keys.ToList();

    public int MetadataCount => _metadata.Count;

    public string GetMetadata(string metadataName) => _metadata.TryGetValue(metadataName, out string? value) ? value : "";

    public void SetMetadata(string metadataName, string metadataValue) => _metadata[metadataName] = metadataValue;

    public void RemoveMetadata(string metadataName) => _metadata.Remove(metadataName);

    public void CopyMetadataTo(ITaskItem destinationItem)
    {
        foreach (KeyValuePair<string, string> entry in CustomMetadata())
        {
            destinationItem.SetMetadata(entry.Key, entry.Value);
        }
    }

    public IDictionary CloneCustomMetadata() => CustomMetadata().ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);

    private IEnumerable<KeyValuePair<string, string>> CustomMetadata() =>
        _metadata.Where(e => !TaskProtocol.WellKnownMetadata.Contains(e.Key, StringComparer.OrdinalIgnoreCase));
}
