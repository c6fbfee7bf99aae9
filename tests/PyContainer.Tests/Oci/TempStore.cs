using PyContainer.Oci;

namespace PyContainer.Tests.Oci;

/// <summary>An <see cref="ImageStore"/> in a fresh temporary folder, deleted afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Directory = Path.Combine(Path.GetTempPath(), "pycontainer-oci-" + Guid.NewGuid().ToString("N"));
        Store = new ImageStore(Directory);
    }

    public string Directory { get; }

    public ImageStore Store { get; }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
