using PyContainer.Context;
using PyContainer.Daemonless;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Images;
using PyContainer.Model;

namespace PyContainer.Sbom;

/// <summary>
/// ContainerBuild's SBOMs: after the image is built (or reused), one SPDX document per platform under
/// <see cref="SbomFiles"/>. Incremental: while the image id, SOURCE_DATE_EPOCH and PyContainer are the same and the
/// files are there, the image is not read again.
/// </summary>
/// <param name="connect">Connects the builder that holds the image; called only when the SBOMs must be written.</param>
/// <param name="log">Where progress goes.</param>
/// <param name="environment">Environment lookup for SOURCE_DATE_EPOCH; the process environment when null.</param>
public sealed class SbomWriter(Func<CancellationToken, Task<IImageBuilder>> connect, IBuildLog log, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>Writes (or keeps) the SBOMs of the image and returns their paths.</summary>
    /// <param name="imageId">The image, as ContainerBuild returned it.</param>
    /// <param name="reference">The image's first reference: its repository and tag name the SBOM.</param>
    /// <param name="context">The build context, which names the runner stage's base image.</param>
    /// <param name="intermediateDirectory">ContainerIntermediateDirectory.</param>
    /// <param name="cancellationToken">Ends the reading.</param>
    public async Task<IReadOnlyList<string>> WriteAsync(string imageId, ImageReference reference, BuildContext context, string intermediateDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string epoch = _environment("SOURCE_DATE_EPOCH") ?? "";
        string state = Path.Combine(SbomFiles.Directory(intermediateDirectory), reference.Repository.Replace('/', '-') + ".state");
        string key = string.Join('\n', imageId, reference, epoch, SpdxDocument.ToolVersion);
        if (File.Exists(state) && File.ReadAllLines(state) is { Length: > 4 } lines && string.Join('\n', lines.Take(4)) == key && lines.Skip(4).All(File.Exists))
        {
            log.Info($"  The SBOM of {reference} is up to date: the image did not change.");
            return lines[4..];
        }

        using IImageBuilder builder = await connect(cancellationToken);
        IReadOnlyList<ImageInventory> inventories = await builder.InventoryAsync(imageId, RunnerBase.Of(context), cancellationToken);
        var subject = new SbomSubject(reference.Name, reference.Tag, imageId);
        var paths = new List<string>();
        foreach (ImageInventory inventory in inventories)
        {
            DateTimeOffset created = epoch.Length > 0 ? ImageAssembler.Timestamp(_environment) : inventory.Created ?? DateTimeOffset.UnixEpoch;
            string path = SbomFiles.PathFor(intermediateDirectory, reference.Repository, inventory.Platform);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, SpdxDocument.Write(subject, inventory, created), cancellationToken);
            log.Info($"  Wrote the SBOM of {reference} ({inventory.Platform}): {inventory.Python.Count} Python packages, {inventory.OsPackages.Count} OS packages, to {path}");
            paths.Add(path);
        }

        await File.WriteAllLinesAsync(state, [key, .. paths], cancellationToken);
        return paths;
    }
}
