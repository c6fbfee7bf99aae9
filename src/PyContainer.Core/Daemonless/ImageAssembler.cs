using System.Globalization;
using System.Text;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Python;
using PyContainer.Python.Lock;
using PyContainer.Python.Wheels;
using PyContainer.Registry;
using PyContainer.Sbom;

namespace PyContainer.Daemonless;

/// <summary>
/// Assembles the image the Dockerfile mode would build, with no engine: the base image's layers by reference, then
/// three layers of its own — pure-Python dependencies (with the virtual environment), native dependencies, the app —
/// and a config equal to the runner stage's; for several platforms, one such image per platform (each on that
/// platform's base manifest, with that platform's wheels) in an OCI index. Every byte depends only on the inputs and SOURCE_DATE_EPOCH, so equal
/// inputs give an equal digest on any machine; dependency layers are reused while the lock and base are unchanged.
/// </summary>
internal sealed class ImageAssembler(ImageStore store, DownloadCache cache, Func<string, RegistryClient> registries, Func<string, string?> environment, IReadOnlyList<ContainerPlatform> platforms, string platformsProperty)
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;

    /// <summary>This build of PyContainer (deterministic, so it changes only with the code): a new installer rebuilds the layers.</summary>
    private static readonly string Installer = typeof(ImageAssembler).Assembly.ManifestModule.ModuleVersionId.ToString();

    /// <summary>
    /// Builds the image into the store; returns its manifest, or with several platforms the index of their
    /// manifests. Every platform's base manifest and target are settled (PYC4007, PYC3019) before any layer is built.
    /// </summary>
    public async Task<Descriptor> AssembleAsync(BuildContext context, IReadOnlyDictionary<string, string> buildArguments, IBuildLog log, CancellationToken cancellationToken)
    {
        ImagePlan plan = ImagePlan.FromJson(context.ReadText(ImagePlan.ContextPath));
        DateTimeOffset timestamp = Timestamp(environment);
        RemoteImage baseReference = RemoteImage.Parse(plan.BaseImage);
        IReadOnlyList<BaseImage> bases = await BaseImage.ResolveAsync(
            baseReference, platforms.Count == 0 ? null : [.. platforms.Select(p => p.Oci)], registries(baseReference.Registry), cache, log, cancellationToken);
        List<TargetPlatform> targets = [.. bases.Select((b, i) => Target(b, platforms.ElementAtOrDefault(i), plan, log))];

        // The app layer's bytes depend on no platform: built once, it is one blob in every platform's image.
        LayerBlob app = await AppLayerAsync(context, plan, timestamp, cancellationToken);
        List<string> indexUrls = IndexUrls(buildArguments);
        var images = new List<Descriptor>();
        for (int i = 0; i < bases.Count; i++)
        {
            ContainerPlatform? platform = platforms.ElementAtOrDefault(i);
            string label = platform?.ToString() ?? "linux/" + BaseImage.HostArchitecture;
            var venv = new VirtualEnvironment(plan.VirtualEnvironment, bases[i].Facts.Interpreter, targets[i].PythonVersion, targets[i].PythonFullVersion);
            (List<(LayerBlob Blob, string CreatedBy)> layers, IReadOnlyList<ImagePackage> packages) = await DependencyLayersAsync(context, plan, bases[i], targets[i], label, venv, indexUrls, timestamp, log, cancellationToken);
            layers.Add((app, $"pycontainer: the app in {plan.WorkingDirectory}"));
            log.Info($"  {label} layers: " + string.Join(", ", layers.Select(l => $"{l.Blob.Descriptor.Size / 1024.0:0.#} kB")));
            Descriptor image = await ImageConfigs.WriteAsync(store, bases[i], plan, layers, timestamp, platform?.Oci, cancellationToken);
            // The wheels' hashes, which the image's METADATA files cannot say, for its SBOM.
            ImagePackages.Write(ImagePackages.PathFor(IntermediateDirectory, image.Digest), packages);
            images.Add(image);
        }

        return images.Count == 1 ? images[0] with { Platform = null } : await store.PutImageIndexAsync(new OciIndex(images), cancellationToken);
    }

    private TargetPlatform Target(BaseImage baseImage, ContainerPlatform? platform, ImagePlan plan, IBuildLog log) => platform is null
        ? TargetPlatforms.For(baseImage.Reference.ToString(), baseImage.Facts, BaseImage.HostArchitecture, plan, log)
        : TargetPlatforms.For(baseImage.Reference.ToString(), baseImage.Facts, platform, platformsProperty, plan, log);

    /// <summary>ContainerIntermediateDirectory: the store's parent, where the layer records and image sidecars are.</summary>
    private string IntermediateDirectory => Path.GetDirectoryName(store.Directory.TrimEnd('/', '\\'))!;

    /// <summary>SOURCE_DATE_EPOCH (seconds), the reproducible-builds convention; else the epoch itself.</summary>
    public static DateTimeOffset Timestamp(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? value = environment("SOURCE_DATE_EPOCH");
        if (string.IsNullOrEmpty(value))
        {
            return DateTimeOffset.UnixEpoch;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw Errors.Create(Errors.InvalidPropertyValue, "SOURCE_DATE_EPOCH", value, "it must be a number of seconds since 1970-01-01");
    }

    /// <summary>The index URLs the build arguments carry (credentials already applied), PyPI when none.</summary>
    private static List<string> IndexUrls(IReadOnlyDictionary<string, string> arguments)
    {
        var urls = new List<string>();
        urls.Add(arguments.TryGetValue(PackageIndexCredentials.IndexUrl, out string? index) && index.Length > 0 ? index : "https://pypi.org/simple/");
        if (arguments.TryGetValue(PackageIndexCredentials.ExtraIndexUrl, out string? extra))
        {
            urls.AddRange(extra.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return urls;
    }

    /// <summary>
    /// The dependency layers, reused from the store while the lock, the base image, the target and the indexes are
    /// the same (the layer bytes depend on nothing else): a source-only build resolves and downloads nothing.
    /// </summary>
    private async Task<(List<(LayerBlob Blob, string CreatedBy)> Layers, IReadOnlyList<ImagePackage> Packages)> DependencyLayersAsync(BuildContext context, ImagePlan plan, BaseImage baseImage, TargetPlatform target, string label, VirtualEnvironment venv, IReadOnlyList<string> indexUrls, DateTimeOffset timestamp, IBuildLog log, CancellationToken cancellationToken)
    {
        if (plan.LockFile is null)
        {
            // No dependencies: the environment alone, so VIRTUAL_ENV and PATH name a folder that exists.
            return ([(await WheelLayerAsync(venv, [], withEnvironment: true, timestamp, cancellationToken), $"pycontainer: virtual environment {venv.Root}")], []);
        }

        string lockPath = context.SourcePath(plan.LockFile) ?? throw new InvalidOperationException($"The context holds no {plan.LockFile}.");
        string key = string.Join('\n', Installer, Digests.Hex(Digests.Sha256(File.ReadAllBytes(lockPath))), baseImage.ManifestDigest, target, venv, timestamp.ToUnixTimeSeconds(), string.Join(' ', indexUrls));
        string record = Path.Combine(IntermediateDirectory, "image-layers", Digests.Hex(Digests.Sha256(Encoding.UTF8.GetBytes(key))) + ".json");
        string packagesRecord = Path.ChangeExtension(record, ".packages.json");
        if (StoredLayers.Read(record, store) is { } reused && ImagePackages.Read(packagesRecord) is { } installed)
        {
            log.Info($"  {label} (base {baseImage.ManifestDigest[..19]}): the dependency layers of {Path.GetFileName(plan.LockFile)} are reused: the lock, the base image and the indexes are unchanged");
            return (reused, installed);
        }

        IReadOnlyList<LockedPackage> packages = LockFile.Read(lockPath, "PythonLockFile", target);
        IReadOnlyList<ResolvedWheel> wheels = await WheelResolver.ResolveAsync(packages, indexUrls, target, cache.Directory, log, cancellationToken);
        List<ResolvedWheel> native = wheels.Where(w => !w.IsPurePython).ToList();
        var layers = new List<(LayerBlob Blob, string CreatedBy)>
        {
            (await WheelLayerAsync(venv, wheels.Where(w => w.IsPurePython).ToList(), withEnvironment: true, timestamp, cancellationToken),
                $"pycontainer: virtual environment {venv.Root} and the pure-Python packages of {Path.GetFileName(plan.LockFile)}"),
        };
        if (native.Count > 0)
        {
            layers.Add((await WheelLayerAsync(venv, native, withEnvironment: false, timestamp, cancellationToken),
                $"pycontainer: the native packages of {Path.GetFileName(plan.LockFile)} ({string.Join(", ", native.Select(w => w.Name))})"));
        }

        log.Info($"  {label} (base {baseImage.ManifestDigest[..19]}): {wheels.Count} packages ({native.Count} native) installed for Python {target.PythonVersion} on {target.Libc} {target.LibcVersion}");
        StoredLayers.Write(record, layers);
        List<ImagePackage> installedPackages = [.. wheels.Select(w => new ImagePackage(w.Name, w.Version, w.Sha256))];
        ImagePackages.Write(packagesRecord, installedPackages);
        return (layers, installedPackages);
    }

    /// <summary>One layer of wheels streamed from their archives (kept open until the layer is written).</summary>
    private async Task<LayerBlob> WheelLayerAsync(VirtualEnvironment venv, IReadOnlyList<ResolvedWheel> wheels, bool withEnvironment, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var layer = new LayerBuilder(timestamp);
        if (withEnvironment)
        {
            venv.WriteTo(layer);
        }

        var archives = new List<IDisposable>();
        try
        {
            foreach (ResolvedWheel wheel in wheels)
            {
                archives.Add(WheelInstaller.Install(wheel, venv, layer));
            }

            return await layer.WriteAsync(store, cancellationToken);
        }
        finally
        {
            archives.ForEach(a => a.Dispose());
        }
    }

    /// <summary>The app as the runner stage copies it: its files, the entrypoint script, the working and writable folders.</summary>
    private async Task<LayerBlob> AppLayerAsync(BuildContext context, ImagePlan plan, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var layer = new LayerBuilder(timestamp);
        layer.AddDirectory(plan.WorkingDirectory, DirectoryMode);
        foreach (PlannedFile file in plan.Files)
        {
            if (file.Source.EndsWith('/'))
            {
                foreach (ContextFile entry in context.FilesUnder(file.Source))
                {
                    layer.AddFile(file.Target.TrimEnd('/') + "/" + entry.RelativePath, entry.Mode, entry.Length, entry.Open);
                }
            }
            else
            {
                ContextFile entry = context.FileAt(file.Source);
                layer.AddFile(file.Target, file.Executable ? DirectoryMode : entry.Mode, entry.Length, entry.Open);
            }
        }

        if (plan.WritableDirectories.Count > 0)
        {
            (int uid, int gid) = NumericUser(plan.User);
            foreach (string directory in plan.WritableDirectories)
            {
                // The runner stage's `chown -R USER`: owned by the user, group unchanged (root).
                layer.AddDirectory(directory, DirectoryMode, uid, gid);
            }
        }

        return await layer.WriteAsync(store, cancellationToken);
    }

    /// <summary>ContainerUser as uid and gid: a daemonless build cannot look a user name up in the image.</summary>
    private static (int Uid, int Gid) NumericUser(string user)
    {
        string[] parts = user.Split(':');
        return parts.Length <= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int uid)
            ? (uid, parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int gid) ? gid : 0)
            : throw Errors.Create(Errors.InvalidPropertyValue, "ContainerUser", user, "a daemonless build needs a numeric user (uid or uid:gid): it cannot look names up in the image");
    }
}
