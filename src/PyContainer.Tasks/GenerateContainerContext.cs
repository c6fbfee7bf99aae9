using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PyContainer.Context;
using PyContainer.Diagnostics;
using PyContainer.Dockerfile;
using PyContainer.Model;
using PyContainer.Model.Requirements;

using Task = System.Threading.Tasks.Task;

namespace PyContainer.Tasks;

/// <summary>
/// Builds the app model from the project's items and properties, then writes the Dockerfile, .dockerignore,
/// merged requirements and the context manifest. Needs no engine, so design-time builds can run it.
/// </summary>
public sealed class GenerateContainerContext : PyContainerTask
{
    [Required]
    public string ProjectDirectory { get; set; } = "";

    [Required]
    public string ProjectName { get; set; } = "";

    [Required]
    public string OutputDirectory { get; set; } = "";

    public ITaskItem[] PythonSource { get; set; } = [];

    public ITaskItem[] PythonContent { get; set; } = [];

    /// <summary>Every file under the project folder goes in, but for the built-in exclusions and the .dockerignore.</summary>
    public bool EnableDefaultPythonContentItems { get; set; } = true;

    /// <summary>More patterns (.dockerignore syntax) the default content leaves out.</summary>
    public string[] DefaultPythonItemExcludes { get; set; } = [];

    public ITaskItem[] PythonRequirementsFile { get; set; } = [];

    public ITaskItem[] PythonRequirement { get; set; } = [];

    public string? PythonVersion { get; set; }

    public string? ContainerBaseImage { get; set; }

    public string? ContainerBuilderImage { get; set; }

    public string? PythonWsgiApp { get; set; }

    public string? PythonScript { get; set; }

    public string? PythonModule { get; set; }

    public string? PythonAsgiApp { get; set; }

    public string? PythonWsgiServer { get; set; }

    public string? PythonDjangoSettingsModule { get; set; }

    public bool PythonDjangoCollectStatic { get; set; }

    public string? PythonDjangoMigrate { get; set; }

    public ITaskItem[] PythonDjangoFixture { get; set; } = [];

    public string? PythonInstallStrategy { get; set; }

    public string? PythonProjectDirectory { get; set; }

    public bool ContainerBuildKit { get; set; } = true;

    public string? ContainerHealthCheckPath { get; set; }

    public ITaskItem[] ContainerAppCommand { get; set; } = [];

    public ITaskItem[] ContainerPort { get; set; } = [];

    public ITaskItem[] ContainerEnvironmentVariable { get; set; } = [];

    public ITaskItem[] ContainerLabel { get; set; } = [];

    public string? ContainerUser { get; set; }

    public string? ContainerWorkingDirectory { get; set; }

    public ITaskItem[] ContainerBuildPackage { get; set; } = [];

    public ITaskItem[] ContainerRuntimePackage { get; set; } = [];

    public string? PythonPackageIndexUrl { get; set; }

    public string? PythonExtraPackageIndexUrl { get; set; }

    /// <summary>Folders the app writes; metadata Volume="true" adds a VOLUME.</summary>
    public ITaskItem[] ContainerWritableDirectory { get; set; } = [];

    /// <summary>Commands run before the server, in order; metadata Command is the ';'-separated argument list.</summary>
    public ITaskItem[] ContainerStartupStep { get; set; } = [];

    /// <summary>"false" skips the build-time import of the entry point.</summary>
    public string? PythonEntryPointCheck { get; set; }

    [Output]
    public string DockerfilePath { get; private set; } = "";

    [Output]
    public string ContextManifestPath { get; private set; } = "";

    /// <summary>Every file written, for FileWrites (so `dotnet clean` removes them).</summary>
    [Output]
    public ITaskItem[] GeneratedFiles { get; private set; } = [];

    /// <summary>The ports the container listens on, as "8000/tcp" (defaults included), for ContainerCompose.</summary>
    [Output]
    public string[] ResolvedPorts { get; private set; } = [];

    /// <summary>The image's VOLUME folders (ContainerWritableDirectory Volume="true"), for ContainerCompose.</summary>
    [Output]
    public string[] ResolvedVolumes { get; private set; } = [];

    /// <summary>Build arguments for the builder stage (package index URLs), Value metadata holds the value.</summary>
    [Output]
    public ITaskItem[] BuildArguments { get; private set; } = [];

    protected override Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        // Before anything else: an Include that MSBuild split at ';' must not reach pip as two requirements.
        SplitRequirementCheck.Check(PythonRequirement.Select(i => new InlineRequirement(i.ItemSpec, i.GetMetadata("DefiningProjectFullPath"))).ToList());
        ContentSelection content = ContentSelector.Select(new ContentOptions
        {
            ProjectDirectory = ProjectDirectory,
            EnableDefaults = EnableDefaultPythonContentItems,
            ExplicitFiles = PythonSource.Select(i => Input("PythonSource", i)).Concat(PythonContent.Select(i => Input("PythonContent", i))).ToList(),
            ExtraExcludes = DefaultPythonItemExcludes,
        });
        PythonApp app = PythonApp.Create(new PythonAppSettings
        {
            ProjectDirectory = ProjectDirectory,
            ProjectName = ProjectName,
            Files = content.Files.ToList(),
            RequirementsFiles = PythonRequirementsFile.Select(i => i.GetMetadata("FullPath")).ToList(),
            Requirements = PythonRequirement.Select(i => i.ItemSpec).ToList(),
            PythonVersion = PythonVersion,
            BaseImage = ContainerBaseImage,
            BuilderImage = ContainerBuilderImage,
            WsgiApp = PythonWsgiApp,
            Script = PythonScript,
            Module = PythonModule,
            AsgiApp = PythonAsgiApp,
            WsgiServer = PythonWsgiServer,
            DjangoSettingsModule = PythonDjangoSettingsModule,
            DjangoCollectStatic = PythonDjangoCollectStatic,
            DjangoMigrate = OptionalBool(PythonDjangoMigrate, nameof(PythonDjangoMigrate)),
            DjangoFixtures = PythonDjangoFixture.Select(i => i.ItemSpec).ToList(),
            InstallStrategy = PythonInstallStrategy,
            PythonProjectDirectory = PythonProjectDirectory,
            BuildKit = ContainerBuildKit,
            HealthCheckPath = ContainerHealthCheckPath,
            AppCommand = ContainerAppCommand.Select(i => i.ItemSpec).ToList(),
            Ports = ContainerPort.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Type"))).ToList(),
            EnvironmentVariables = ContainerEnvironmentVariable.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
            Labels = ContainerLabel.Select(i => new NamedValue(i.ItemSpec, i.GetMetadata("Value"))).ToList(),
            User = ContainerUser,
            WorkingDirectory = ContainerWorkingDirectory,
            BuildPackages = ContainerBuildPackage.Select(i => i.ItemSpec).ToList(),
            RuntimePackages = ContainerRuntimePackage.Select(i => i.ItemSpec).ToList(),
            PackageIndexUrl = PythonPackageIndexUrl,
            ExtraPackageIndexUrl = PythonExtraPackageIndexUrl,
            Generator = "PyContainer " + ProductVersion,
            WritableDirectories = ContainerWritableDirectory.Select(i => new WritableDirectorySetting(i.ItemSpec, i.GetMetadata("Volume"))).ToList(),
            StartupSteps = ContainerStartupStep.Select(i => new StartupStepSetting(i.ItemSpec, StartupStep.SplitCommand(EscapedMetadata(i, "Command")))).ToList(),
            EntryPointCheck = OptionalBool(PythonEntryPointCheck, nameof(PythonEntryPointCheck)) ?? true,
        });

        foreach ((string code, string message) in content.Warnings.Concat(app.Warnings))
        {
            log.Warning(code, message);
        }

        string dockerfile = DockerfileGenerator.Generate(app);
        // A BuildKit Dockerfile travels with its legacy twin, so an engine without BuildKit still gets a build.
        BuildContext context = BuildContext.For(app, dockerfile, app.BuildKit ? DockerfileGenerator.Generate(app.ForLegacyBuilder()) : null);
        context.Explain(content);
        string directory = Path.GetFullPath(OutputDirectory);
        Directory.CreateDirectory(directory);
        ContextManifestPath = context.Save(directory);
        log.Info($"PyContainer: {app.Files.Count} app files, {SizeText(content.TotalSize)}, go into the image (see {Path.GetRelativePath(ProjectDirectory, ContextManifestPath)} for why each file is in or out).");
        DockerfilePath = Path.Combine(directory, "Dockerfile");
        GeneratedFiles = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => (ITaskItem)new TaskItem(f))
            .ToArray();
        BuildArguments = BuildArgumentsOf(app);
        ResolvedPorts = app.Ports.Select(p => p.ToString()).ToArray();
        ResolvedVolumes = app.WritableDirectories.Where(d => d.Volume).Select(d => d.Path).ToArray();
        log.Detail($"Generated {DockerfilePath} and a build context of {context.Paths.Count} files.");
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
        string.IsNullOrWhiteSpace(value) ? null
        : bool.TryParse(value.Trim(), out bool result) ? result
        : throw Errors.Create(Errors.InvalidPropertyValue, property, value, "use true or false");

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
