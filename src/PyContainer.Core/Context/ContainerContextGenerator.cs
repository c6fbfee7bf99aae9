using System.Globalization;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Model;
using PyContainer.Settings;

namespace PyContainer.Context;

/// <summary>What ContainerDockerfile leaves behind, for the task to hand to MSBuild.</summary>
/// <param name="ManifestPath">The saved context's manifest, which ContainerBuild loads.</param>
/// <param name="DockerfilePath">The generated Dockerfile, for people and IDEs to read.</param>
/// <param name="Files">Every file written to the output folder, sorted (MSBuild's FileWrites, for `dotnet clean`).</param>
/// <param name="BuildArguments">The build arguments the Dockerfile declares (the package index URLs), by name.</param>
/// <param name="Ports">The ports the image exposes, as `8000/tcp`.</param>
/// <param name="Volumes">The writable folders that are volumes, for the compose file.</param>
public sealed record GeneratedContextFiles(
    string ManifestPath,
    string DockerfilePath,
    IReadOnlyList<string> Files,
    IReadOnlyDictionary<string, string> BuildArguments,
    IReadOnlyList<string> Ports,
    IReadOnlyList<string> Volumes);

/// <summary>
/// ContainerDockerfile's work, with no engine: choose the app's files, resolve the settings into the app model,
/// generate the Dockerfile and its files, and save the build context (with its list of what went in and why)
/// to the output folder.
/// </summary>
public static class ContainerContextGenerator
{
    /// <param name="content">Where the app's files come from; its choice becomes <see cref="PythonAppSettings.Files"/>.</param>
    /// <param name="settings">The project's settings, but for <see cref="PythonAppSettings.Files"/>.</param>
    public static GeneratedContextFiles Generate(ContentOptions content, PythonAppSettings settings, string outputDirectory, IBuildLog log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        ContentSelection selection = ContentSelector.Select(content);
        PythonApp app = PythonAppResolver.Resolve(settings with { Files = selection.Files.ToList() });
        GeneratedContext generated = DockerfileGenerator.Generate(app);
        foreach ((string code, string message) in selection.Warnings.Concat(app.Warnings).Concat(generated.Warnings))
        {
            log.Warning(code, message);
        }

        BuildContext context = BuildContext.For(app, generated);
        context.Explain(selection);
        string directory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(directory);
        string manifest = context.Save(directory);
        log.Info($"PyContainer: {app.Files.Count} app files, {SizeText(selection.TotalSize)}, go into the image (see {Path.GetRelativePath(settings.ProjectDirectory, manifest)} for why each file is in or out).");
        string dockerfile = Path.Combine(directory, GeneratedContext.DockerfileName);
        log.Detail($"Generated {dockerfile} and a build context of {context.Paths.Count} files.");
        if (generated.ImagePlan is not null)
        {
            log.Detail($"ContainerBuildMode=Daemonless: the image plan is {Path.Combine(directory, Daemonless.ImagePlan.ContextPath)}"
                + (app.LockFile is { } lockFile ? $", the lock {lockFile}." : ", no lock (the app has no requirements)."));
        }
        return new GeneratedContextFiles(
            manifest,
            dockerfile,
            Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList(),
            BuildArgumentsOf(app),
            app.Ports.Select(p => p.ToString()).ToList(),
            app.WritableDirectories.Where(d => d.Volume).Select(d => d.Path).ToList());
    }

    /// <summary>A size as people read it: 412.5 kB, 3.1 MB.</summary>
    internal static string SizeText(long bytes) =>
        bytes < 1000 ? $"{bytes} B"
        : bytes < 1_000_000 ? (bytes / 1000.0).ToString("0.0 kB", CultureInfo.InvariantCulture)
        : (bytes / 1_000_000.0).ToString("0.0 MB", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> BuildArgumentsOf(PythonApp app)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (app.PackageIndexUrl is { } index)
        {
            arguments["PIP_INDEX_URL"] = index;
        }

        if (app.ExtraPackageIndexUrl is { } extra)
        {
            arguments["PIP_EXTRA_INDEX_URL"] = extra;
        }

        return arguments;
    }
}
