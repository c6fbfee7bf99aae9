using System.Text.Json;
using PyContainer.Oci;

namespace PyContainer.Daemonless;

/// <summary>
/// The record of layers built before, by a key of everything their bytes depend on (obj/container/image-layers):
/// a layer is reused only while its blob is still in the store.
/// </summary>
internal static class StoredLayers
{
    public static List<(LayerBlob Blob, string CreatedBy)>? Read(string path, ImageStore store)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            List<Entry>? entries = JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(path));
            return entries is { Count: > 0 } && entries.All(e => store.HasBlob(e.Digest))
                ? entries.Select(e => (new LayerBlob(new Descriptor(MediaTypes.OciLayerGzip, e.Digest, e.Size), e.DiffId), e.CreatedBy)).ToList()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Write(string path, IEnumerable<(LayerBlob Blob, string CreatedBy)> layers)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        List<Entry> entries = layers.Select(l => new Entry(l.Blob.Descriptor.Digest, l.Blob.Descriptor.Size, l.Blob.DiffId, l.CreatedBy)).ToList();
        File.WriteAllText(path, JsonSerializer.Serialize(entries));
    }

    private sealed record Entry(string Digest, long Size, string DiffId, string CreatedBy);
}
