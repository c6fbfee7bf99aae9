using System.Security.Cryptography;
using PyContainer.Diagnostics;
using PyContainer.Oci;

namespace PyContainer.Daemonless;

/// <summary>
/// The user's download cache, shared by every project: base image layers and wheels, each stored under its sha256 and
/// verified on the way in, so a file in it is always the one its name promises. PYCONTAINER_CACHE moves it (a CI
/// cache folder, or a fresh one to prove a cold build); else $XDG_CACHE_HOME/pycontainer, else the user's
/// local application data.
/// </summary>
public sealed class DownloadCache
{
    public DownloadCache(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>The cache folder the environment names.</summary>
    public static DownloadCache FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment("PYCONTAINER_CACHE") is { Length: > 0 } configured)
        {
            return new DownloadCache(configured);
        }

        string root = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new DownloadCache(Path.Combine(root, "pycontainer"));
    }

    /// <summary>Where a base image's facts are kept, by its manifest digest.</summary>
    public string FactsPath(string manifestDigest) => Path.Combine(Directory, "base-images", Digests.Hex(manifestDigest) + ".json");

    /// <summary>The blob's file, downloaded once: <paramref name="download"/> runs only when the cache lacks it.</summary>
    /// <param name="digest">"sha256:..." the content must hash to (PYC3018 when it does not).</param>
    /// <param name="image">The image the blob belongs to, for the message.</param>
    /// <param name="download">Opens the blob at its source.</param>
    /// <param name="cancellationToken">Ends the download; no partial file is kept.</param>
    public async Task<string> BlobAsync(string digest, string image, Func<CancellationToken, Task<Stream>> download, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(download);
        string path = Path.Combine(Directory, "blobs", "sha256", Digests.Hex(digest));
        if (File.Exists(path))
        {
            return path;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".partial";
        try
        {
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            await using (Stream source = await download(cancellationToken))
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                string actual = Digests.Format(hash.GetHashAndReset());
                if (actual != digest)
                {
                    throw Errors.Create(Errors.BaseImageUnusable, image, $"its layer {digest} arrived as {actual}: the registry or a proxy changed it");
                }
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
