using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Context;
using PyContainer.Dockerfile;
using PyContainer.Python.Requirements;
using PyContainer.Settings;

namespace PyContainer.Tasks;

// The parameters are in GenerateContainerContext.Interface.cs; this is what the task does with them.
public sealed partial class GenerateContainerContext
{
    protected override Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        // Before anything else: an Include that MSBuild split at ';' must not reach pip as two requirements.
        SplitRequirementCheck.Check(PythonRequirement.Select(i => new InlineRequirement(i.ItemSpec, i.GetMetadata("DefiningProjectFullPath"))).ToList());
        ContentSelection content = ContentSelector.Select(new ContentOptions
        {
            ProjectDirectory = ProjectDirectory,
            EnableDefaultPythonContentItems = EnableDefaultPythonContentItems,
            ExplicitFiles = PythonSource.Select(i => Input("PythonSource", i)).Concat(PythonContent.Select(i => Input("PythonContent", i))).ToList(),
            DefaultPythonItemExcludes = DefaultPythonItemExcludes,
        });
        PythonApp app = PythonAppResolver.Resolve(new PythonAppSettings
        {
            ProjectDirectory = ProjectDirectory,
            ProjectName = ProjectName,
            Files = content.Files.ToList(),
            PythonRequirementsFile = PythonRequirementsFile.Select(i => i.GetMetadata("FullPath")).ToList(),
            PythonRequirement = PythonRequirement.Select(i => i.ItemSpec).ToList(),
            PythonVersion = PythonVersion,
            ContainerBaseImage = ContainerBaseImage,
            ContainerBuilderImage = ContainerBuilderImage,
            PythonWsgiApp = PythonWsgiApp,
            PythonScript = PythonScript,
            PythonModule = PythonModule,
            PythonAsgiApp = PythonAsgiApp,
            PythonWsgiServer = PythonWsgiServer ?? "",
            PythonDjangoSettingsModule = PythonDjangoSettingsModule,
            PythonDjangoCollectStatic = PythonDjangoCollectStatic,
            PythonDjangoMigrate = OptionalBool(PythonDjangoMigrate, nameof(PythonDjangoMigrate)),
            PythonDjangoFixture = PythonDjangoFixture.Select(i => i.ItemSpec).ToList(),
            PythonInstallStrategy = PythonInstallStrategy ?? "",
            PythonProjectDirectory = PythonProjectDirectory,
            ContainerBuildKit = ContainerBuildKit,
            ContainerHealthCheckPath = ContainerHealthCheckPath,
            ContainerAppCommand = ContainerAppCommand.Select(i => i.ItemSpec).ToList(),
            ContainerPort = ContainerPort.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Type"))).ToList(),
            ContainerEnvironmentVariable = ContainerEnvironmentVariable.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
            ContainerLabel = ContainerLabel.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
            ContainerUser = ContainerUser ?? "",
            ContainerWorkingDirectory = ContainerWorkingDirectory ?? "",
            ContainerBuildPackage = ContainerBuildPackage.Select(i => i.ItemSpec).ToList(),
            ContainerRuntimePackage = ContainerRuntimePackage.Select(i => i.ItemSpec).ToList(),
            PythonPackageIndexUrl = PythonPackageIndexUrl,
            PythonExtraPackageIndexUrl = PythonExtraPackageIndexUrl,
            Generator = "PyContainer " + ProductVersion,
            ContainerWritableDirectory = ContainerWritableDirectory.Select(i => new WritableDirectorySetting(i.ItemSpec, i.GetMetadata("Volume"))).ToList(),
            ContainerStartupStep = ContainerStartupStep.Select(i => new StartupStepSetting(i.ItemSpec, StartupStepResolver.SplitCommand(EscapedMetadata(i, "Command")))).ToList(),
            // The targets give PythonEntryPointCheck its default: empty here is as invalid as any other non-boolean.
            PythonEntryPointCheck = Bool(PythonEntryPointCheck, nameof(PythonEntryPointCheck)),
        });

        GeneratedContext generated = DockerfileGenerator.Generate(app);
        foreach ((string code, string message) in content.Warnings.Concat(app.Warnings).Concat(generated.Warnings))
        {
            log.Warning(code, message);
        }

        BuildContext context = BuildContext.For(app, generated);
        context.Explain(content);
        string directory = Path.GetFullPath(ContainerIntermediateDirectory);
        Directory.CreateDirectory(directory);
        ContextManifest = context.Save(directory);
        log.Info($"PyContainer: {app.Files.Count} app files, {SizeText(content.TotalSize)}, go into the image (see {Path.GetRelativePath(ProjectDirectory, ContextManifest)} for why each file is in or out).");
        ContainerDockerfilePath = Path.Combine(directory, GeneratedContext.DockerfileName);
        GeneratedFiles = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => (ITaskItem)new TaskItem(f))
            .ToArray();
        BuildArguments = BuildArgumentsOf(app);
        ResolvedPorts = app.Ports.Select(p => p.ToString()).ToArray();
        ResolvedVolumes = app.WritableDirectories.Where(d => d.Volume).Select(d => d.Path).ToArray();
        log.Detail($"Generated {ContainerDockerfilePath} and a build context of {context.Paths.Count} files.");
        return Task.CompletedTask;
    }

    /// <summary>A size as people read it: 412.5 kB, 3.1 MB.</summary>
    internal static string SizeText(long bytes) =>
        bytes < 1000 ? $"{bytes} B"
        : bytes < 1_000_000 ? (bytes / 1000.0).ToString("0.0 kB", System.Globalization.CultureInfo.InvariantCulture)
        : (bytes / 1_000_000.0).ToString("0.0 MB", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The package version, without the source revision suffix that deterministic builds append.</summary>
    private static string ProductVersion =>
        (typeof(GenerateContainerContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "").Split('+')[0];

    private static bool? OptionalBool(string? value, string property) =>
        string.IsNullOrWhiteSpace(value) ? null : Bool(value, property);

    private static bool Bool(string? value, string property) =>
        bool.TryParse(value?.Trim(), out bool result) ? result : throw Errors.Create(Errors.InvalidPropertyValue, property, value, "use true or false");

    /// <summary>
    /// Metadata as the project wrote it, MSBuild escapes kept: a ';' separates arguments, a '%3B' is one. (The
    /// plain GetMetadata unescapes both to ';'.)
    /// </summary>
    private static string EscapedMetadata(ITaskItem item, string name) =>
        item is ITaskItem2 escaped ? escaped.GetMetadataValueEscaped(name) : item.GetMetadata(name);

    private static InputFile Input(string itemType, ITaskItem item) =>
        new(itemType, item.GetMetadata("FullPath"), item.GetMetadata("Link") is { Length: > 0 } link ? link : null);

    private static ITaskItem[] BuildArgumentsOf(PythonApp app)
    {
        var arguments = new List<ITaskItem>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                arguments.Add(new TaskItem(name, new Dictionary<string, string> { ["Value"] = value }));
            }
        }

        Add("PIP_INDEX_URL", app.PackageIndexUrl);
        Add("PIP_EXTRA_INDEX_URL", app.ExtraPackageIndexUrl);
        return arguments.ToArray();
    }
}
