using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Context;
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
        var content = new ContentOptions
        {
            ProjectDirectory = ProjectDirectory,
            EnableDefaultPythonContentItems = EnableDefaultPythonContentItems,
            ExplicitFiles = PythonSource.Select(i => Input("PythonSource", i)).Concat(PythonContent.Select(i => Input("PythonContent", i))).ToList(),
            DefaultPythonItemExcludes = DefaultPythonItemExcludes,
        };
        GeneratedContextFiles generated = ContainerContextGenerator.Generate(content, Settings(), ContainerIntermediateDirectory, log);
        ContextManifest = generated.ManifestPath;
        ContainerDockerfilePath = generated.DockerfilePath;
        GeneratedFiles = generated.Files.Select(f => (ITaskItem)new TaskItem(f)).ToArray();
        BuildArguments = generated.BuildArguments
            .Select(a => (ITaskItem)new TaskItem(a.Key, new Dictionary<string, string> { ["Value"] = a.Value }))
            .ToArray();
        ResolvedPorts = [.. generated.Ports];
        ResolvedVolumes = [.. generated.Volumes];
        return Task.CompletedTask;
    }

    /// <summary>The parameters as the core's settings, each under its own name; the content selection adds the files.</summary>
    private PythonAppSettings Settings() => new()
    {
        ProjectDirectory = ProjectDirectory,
        ProjectName = ProjectName,
        PythonRequirementsFile = PythonRequirementsFile.Select(i => i.GetMetadata("FullPath")).ToList(),
        PythonRequirement = PythonRequirement.Select(i => i.ItemSpec).ToList(),
        PythonVersion = PythonVersion,
        ContainerBaseImage = ContainerBaseImage,
        ContainerBuilderImage = ContainerBuilderImage,
        PythonWsgiApp = PythonWsgiApp,
        PythonScript = PythonScript,
        PythonModule = PythonModule,
        PythonAsgiApp = PythonAsgiApp,
        PythonWsgiServer = PythonWsgiServer,
        PythonDjangoSettingsModule = PythonDjangoSettingsModule,
        PythonDjangoCollectStatic = PythonDjangoCollectStatic,
        PythonDjangoMigrate = OptionalBool(PythonDjangoMigrate, nameof(PythonDjangoMigrate)),
        PythonDjangoFixture = PythonDjangoFixture.Select(i => i.ItemSpec).ToList(),
        PythonInstallStrategy = PythonInstallStrategy,
        PythonProjectDirectory = PythonProjectDirectory,
        ContainerBuildKit = ContainerBuildKit,
        ContainerHealthCheckPath = ContainerHealthCheckPath,
        ContainerAppCommand = ContainerAppCommand.Select(i => i.ItemSpec).ToList(),
        ContainerPort = ContainerPort.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Type"))).ToList(),
        ContainerEnvironmentVariable = ContainerEnvironmentVariable.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
        ContainerLabel = ContainerLabel.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
        ContainerUser = ContainerUser,
        ContainerWorkingDirectory = ContainerWorkingDirectory,
        ContainerBuildPackage = ContainerBuildPackage.Select(i => i.ItemSpec).ToList(),
        ContainerRuntimePackage = ContainerRuntimePackage.Select(i => i.ItemSpec).ToList(),
        PythonPackageIndexUrl = PythonPackageIndexUrl,
        PythonExtraPackageIndexUrl = PythonExtraPackageIndexUrl,
        Generator = "PyContainer " + ProductVersion,
        ContainerWritableDirectory = ContainerWritableDirectory.Select(i => new WritableDirectorySetting(i.ItemSpec, i.GetMetadata("Volume"))).ToList(),
        ContainerStartupStep = ContainerStartupStep.Select(i => new StartupStepSetting(i.ItemSpec, StartupStepResolver.SplitCommand(EscapedMetadata(i, "Command")))).ToList(),
        // The targets give PythonEntryPointCheck its default: empty here is as invalid as any other non-boolean.
        PythonEntryPointCheck = Bool(PythonEntryPointCheck, nameof(PythonEntryPointCheck)),
        ContainerBuildMode = ContainerBuildMode,
        ContainerBaseImageLibc = ContainerBaseImageLibc,
        PythonLockFile = PythonLockFile,
    };

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
}
