using PyContainer.Model;
using PyContainer.Oci;

namespace PyContainer.Daemonless;

/// <summary>
/// The image config and manifest of a daemonless image: the base image's config with what the runner stage sets
/// (the plan's environment, PATH with the virtual environment first, user, working folder, ports, volumes, labels,
/// health check, entrypoint and command) and one history entry per layer, so `docker history` says what made each.
/// </summary>
internal static class ImageConfigs
{
    /// <summary>
    /// Stores the config and the manifest; returns the manifest's descriptor with the image's platform (as its
    /// config says it), for an index. The platform asked for fills in a variant the base config leaves out.
    /// </summary>
    public static async Task<Descriptor> WriteAsync(ImageStore store, BaseImage baseImage, ImagePlan plan, IReadOnlyList<(LayerBlob Blob, string CreatedBy)> layers, DateTimeOffset timestamp, Platform? platform, CancellationToken cancellationToken)
    {
        ImageConfig config = ImageConfig.FromBase(baseImage.ConfigJson, timestamp);
        if (platform?.Variant is { } variant)
        {
            config.SetVariantIfMissing(variant);
        }

        foreach ((LayerBlob blob, string createdBy) in layers)
        {
            config.AddLayer(blob.DiffId, createdBy);
        }

        foreach (NamedValue variable in plan.Environment)
        {
            config.SetEnvironment(variable.Name, variable.Value);
        }

        string? basePath = config.GetEnvironment("PATH");
        config.SetEnvironment("PATH", string.IsNullOrEmpty(basePath) ? plan.PathPrefix : plan.PathPrefix + ":" + basePath);
        config.SetWorkingDirectory(plan.WorkingDirectory);
        plan.ExposedPorts.ToList().ForEach(config.ExposePort);
        plan.Volumes.ToList().ForEach(config.AddVolume);
        foreach (NamedValue label in plan.Labels)
        {
            config.SetLabel(label.Name, label.Value);
        }

        if (plan.HealthCheck is { } check)
        {
            config.SetHealthCheck(new HealthCheck(check.Test) { Interval = check.Interval, Timeout = check.Timeout, StartPeriod = check.StartPeriod, Retries = check.Retries });
        }

        if (plan.Entrypoint is not null)
        {
            config.SetEntrypoint(plan.Entrypoint);
        }

        config.SetCmd(plan.Cmd);
        config.SetUser(plan.User);
        config.AddHistory("pycontainer: ENV, WORKDIR, EXPOSE, VOLUME, LABEL, HEALTHCHECK, ENTRYPOINT, CMD and USER of the runner stage", emptyLayer: true);

        Descriptor configDescriptor = await store.PutBlobAsync(MediaTypes.OciConfig, config.ToJson(), cancellationToken);
        // The base layers keep their digests (their bytes are the registry's); a Docker gzip layer is an OCI gzip layer by another name.
        var manifest = new OciManifest(
            configDescriptor,
            [.. baseImage.Layers.Select(l => new Descriptor(l.MediaType == MediaTypes.DockerLayerGzip ? MediaTypes.OciLayerGzip : l.MediaType, l.Digest, l.Size)), .. layers.Select(l => l.Blob.Descriptor)])
        {
            Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ImagePusher.BaseNameAnnotation] = baseImage.Reference.ToString(),
                ["org.opencontainers.image.base.digest"] = baseImage.ManifestDigest,
            },
        };
        Descriptor stored = await store.PutManifestAsync(manifest, cancellationToken);
        return stored with { Platform = new Platform(config.Architecture, config.Os) { Variant = config.Variant, OsVersion = config.OsVersion } };
    }
}
