using System.Formats.Tar;
using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;
using PyContainer.Diagnostics;
using PyContainer.Oci;
using PyContainer.Sbom;

namespace PyContainer.Docker;

/// <summary>
/// An engine image's <see cref="ImageInventory"/>: its platform from the image inspect, its own layers (those after
/// the base image's, which the engine has since it built from it) read from `docker save` in one streaming pass.
/// The save lists layers by directory, not in order: every layer is read and hashed, and only the image's own
/// are applied, bottom first, by their diff ids.
/// </summary>
internal static class EngineInventory
{
    /// <param name="client">The engine, for the image's and the base's inspect.</param>
    /// <param name="save">The image's `docker save` stream (<see cref="DockerEngine.SaveImageAsync"/>).</param>
    /// <param name="imageId">The image.</param>
    /// <param name="baseImage">The runner stage's FROM image, whose layers are not the image's own; null reads every layer.</param>
    /// <param name="cancellationToken">Ends the reading.</param>
    public static async Task<ImageInventory> ReadAsync(DockerClient client, Func<CancellationToken, Task<Stream>> save, string imageId, string? baseImage, CancellationToken cancellationToken)
    {
        try
        {
            ImageInspectResponse image = await client.Images.InspectImageAsync(imageId, cancellationToken);
            List<string> layers = [.. image.RootFS?.Layers ?? []];
            ImageInspectResponse? parent = baseImage is null ? null : await FindAsync(client, baseImage, cancellationToken);
            int own = EngineBaseImage.SharedLayerCount([.. parent?.RootFS?.Layers ?? []], layers);
            Dictionary<string, LayerContents> contents = await ReadLayersAsync(save, layers.Skip(own).ToHashSet(StringComparer.Ordinal), cancellationToken);
            var scanner = new InventoryScanner();
            foreach (string diffId in layers.Skip(own))
            {
                scanner.Add(contents.TryGetValue(diffId, out LayerContents? layer) ? layer : throw Errors.Create(Errors.InventoryFailed, imageId, "the saved image has no layer " + diffId));
            }

            var platform = new Oci.Platform(image.Architecture, image.Os) { Variant = string.IsNullOrEmpty(image.Variant) ? null : image.Variant };
            string? baseDigest = parent?.RepoDigests?.Select(d => d[(d.IndexOf('@', StringComparison.Ordinal) + 1)..]).FirstOrDefault(Digests.IsSha256);
            return new ImageInventory(platform, baseImage, baseDigest, scanner.PythonDistributions(), scanner.OsPackages()) { Created = image.Created };
        }
        catch (DockerApiException e)
        {
            throw Errors.Create(Errors.InventoryFailed, e, imageId, DockerEngine.ErrorMessageOf(e));
        }
    }

    private static async Task<ImageInspectResponse?> FindAsync(DockerClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Images.InspectImageAsync(name, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The contents of the wanted layers (by diff id: the sha256 of the layer tar) in the image's save stream.</summary>
    private static async Task<Dictionary<string, LayerContents>> ReadLayersAsync(Func<CancellationToken, Task<Stream>> save, HashSet<string> wanted, CancellationToken cancellationToken)
    {
        // The engine's stream reads asynchronously only, the tar reader synchronously: the save goes through a
        // temporary file, gone when closed.
        await using var archiveFile = new FileStream(Path.Combine(Path.GetTempPath(), "pycontainer-inventory-" + Guid.NewGuid().ToString("N") + ".tar"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await using (Stream saved = await save(cancellationToken))
        {
            await saved.CopyToAsync(archiveFile, cancellationToken);
        }

        archiveFile.Position = 0;
        var found = new Dictionary<string, LayerContents>(StringComparer.Ordinal);
        using var archive = new TarReader(archiveFile, leaveOpen: true);
        while (found.Count < wanted.Count && archive.GetNextEntry() is { } entry)
        {
            // `docker save` before Engine 25 names layers ID/layer.tar; later ones are OCI layouts (blobs/sha256/HEX);
            // Podman's writes each layer once as DIFFID.tar, its ID/layer.tar being a link to that.
            bool layer = entry.Name.EndsWith("/layer.tar", StringComparison.Ordinal) || entry.Name.StartsWith("blobs/sha256/", StringComparison.Ordinal)
                || (entry.Name.EndsWith(".tar", StringComparison.Ordinal) && !entry.Name.Contains('/', StringComparison.Ordinal));
            if (!layer || entry.DataStream is null || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                continue;
            }

            using var sha = SHA256.Create();
            using var hashing = new CryptoStream(entry.DataStream, sha, CryptoStreamMode.Read, leaveOpen: true);
            LayerContents? contents = TryRead(hashing);
            hashing.CopyTo(Stream.Null);
            string diffId = Digests.Format(sha.Hash!);
            if (contents is not null && wanted.Contains(diffId))
            {
                found[diffId] = contents;
            }
        }

        return found;
    }

    /// <summary>The layer's contents, or null for a blob that is no tar (a config or manifest in an OCI layout save).</summary>
    private static LayerContents? TryRead(Stream blob)
    {
        try
        {
            return LayerContents.Read(blob);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            return null;
        }
    }
}
