namespace PyContainer.Oci;

/// <summary>
/// Where an installer puts the files of one image layer (the OCI layer builder), so what installs wheels or
/// lays out a virtual environment knows nothing of tar, gzip or digests. Paths are absolute in the image ("/opt/venv/bin");
/// parent folders the caller did not add are added as root-owned 0755 folders.
/// </summary>
public interface ILayerSink
{
    /// <summary>Adds a folder; adding one that is already there only updates its mode and owner.</summary>
    void AddDirectory(string path, UnixFileMode mode, int uid = 0, int gid = 0);

    /// <summary>Adds a file of <paramref name="length"/> bytes that <paramref name="open"/> reads when the layer is written.</summary>
    void AddFile(string path, UnixFileMode mode, long length, Func<Stream> open);

    /// <summary>Adds a file whose bytes are in memory (pyvenv.cfg, a generated script).</summary>
    void AddFile(string path, UnixFileMode mode, byte[] content);

    /// <summary>Adds a symbolic link to <paramref name="target"/> (relative or absolute, stored as given).</summary>
    void AddSymlink(string path, string target);

    /// <summary>Whether the layer already has an entry at <paramref name="path"/> (two wheels writing one file is an error).</summary>
    bool Contains(string path);
}
