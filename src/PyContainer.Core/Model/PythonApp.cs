using System.Text.RegularExpressions;
using PyContainer.Diagnostics;
using PyContainer.Python;

namespace PyContainer.Model;

/// <summary>
/// The validated model of a containerized Python app. Everything in it is safe to put into a Dockerfile:
/// values that could break out of an instruction were rejected on the way in.
/// </summary>
public sealed record PythonApp
{
    public const string DefaultPythonVersion = "3.12";
    public const string DefaultUser = "10001";
    public const string DefaultWorkingDirectory = "/app";
    public const int DefaultWebPort = 8000;

    private PythonApp()
    {
    }

    public required string ProjectName { get; init; }

    public required IReadOnlyList<AppFile> Files { get; init; }

    /// <summary>Requirement lines in the order given, requirements files first.</summary>
    public required IReadOnlyList<string> Requirements { get; init; }

    public required ImageReference BuilderImage { get; init; }

    public required ImageReference RunnerImage { get; init; }

    public required EntryPoint EntryPoint { get; init; }

    public required IReadOnlyList<ContainerPort> Ports { get; init; }

    public required IReadOnlyList<NamedValue> EnvironmentVariables { get; init; }

    public required IReadOnlyList<NamedValue> Labels { get; init; }

    public required string User { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyList<string> BuildPackages { get; init; }

    public required IReadOnlyList<string> RuntimePackages { get; init; }

    /// <summary>Where pip looks for packages in the builder stage; null means pip's default (PyPI).</summary>
    public string? PackageIndexUrl { get; init; }

    public string? ExtraPackageIndexUrl { get; init; }

    public string Generator { get; init; } = "PyContainer";

    /// <summary>The Python version the default images use (property, .python-version, requires-python, default).</summary>
    public required string PythonVersion { get; init; }

    /// <summary>True when both images are the official defaults, so the Dockerfile can take ARG PYTHON_VERSION.</summary>
    public required bool UsesDefaultImages { get; init; }

    /// <summary>The strategy asked for; without BuildKit the Dockerfile falls back from wheels (see InstallStrategySteps.For).</summary>
    public required InstallStrategy InstallStrategy { get; init; }

    public required bool BuildKit { get; init; }

    /// <summary>The app's folder is a Python project (pyproject.toml or setup.py) built into a wheel.</summary>
    public required bool IsPythonProject { get; init; }

    /// <summary>
    /// The project's dependencies when its pyproject.toml declares them statically (validated requirement lines),
    /// so they can be built before the project's sources are copied; null when only building the project tells
    /// (setup.py, dynamic dependencies), and for apps that are no Python project.
    /// </summary>
    public IReadOnlyList<string>? ProjectDependencies { get; init; }

    /// <summary>
    /// The project's `[build-system].requires` from its pyproject.toml (validated requirement lines), so the builder
    /// can install its build backend once, before the sources; null when not declared.
    /// </summary>
    public IReadOnlyList<string>? ProjectBuildRequirements { get; init; }

    public required bool DjangoCollectStatic { get; init; }

    public required bool DjangoMigrate { get; init; }

    public required IReadOnlyList<string> DjangoFixtures { get; init; }

    /// <summary>The Django settings module, for Django apps.</summary>
    public string? DjangoSettingsModule { get; init; }

    public string? HealthCheckPath { get; init; }

    /// <summary>Folders the runtime user may write, in item order (see <see cref="WritableDirectory"/>).</summary>
    public IReadOnlyList<WritableDirectory> WritableDirectories { get; init; } = [];

    /// <summary>The project's startup steps, in item order; Django's own come first (see EntrypointScript).</summary>
    public IReadOnlyList<StartupStep> StartupSteps { get; init; } = [];

    /// <summary>Whether a check stage imports and resolves the entry point at build time.</summary>
    public bool EntryPointCheck { get; init; }

    /// <summary>Warnings found while building the model, as (code, message).</summary>
    public required IReadOnlyList<(string Code, string Message)> Warnings { get; init; }

    // \z, not $: '$' also matches before a final '\n', and names and package names are not trimmed.
    private static readonly Regex EnvironmentNamePattern = new(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant);

    private static readonly Regex UserPattern = new(@"^[A-Za-z0-9][A-Za-z0-9._-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)?\z", RegexOptions.CultureInvariant);

    private static readonly Regex AbsolutePathPattern = new(@"^/[A-Za-z0-9/._-]*\z", RegexOptions.CultureInvariant);

    private static readonly Regex OsPackagePattern = new(@"^[a-z0-9][a-z0-9.+:=~-]*\z", RegexOptions.CultureInvariant);

    private static readonly Regex HealthCheckPathPattern = new(@"^/[A-Za-z0-9/._~-]*\z", RegexOptions.CultureInvariant);

    private static readonly Regex LabelNamePattern = new(@"^[a-z0-9.-]+\z", RegexOptions.CultureInvariant);

    public static PythonApp Create(PythonAppSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var warnings = new List<(string Code, string Message)>();
        string pythonVersion = PythonVersionDetector.Detect(settings.PythonVersion, settings.ProjectDirectory);
        bool defaultImages = string.IsNullOrWhiteSpace(settings.BaseImage) && string.IsNullOrWhiteSpace(settings.BuilderImage);
        ImageReference runner = ImageReference.Parse(
            string.IsNullOrWhiteSpace(settings.BaseImage) ? $"python:{pythonVersion}-slim" : settings.BaseImage.Trim(),
            "ContainerBaseImage");
        ImageReference builder = string.IsNullOrWhiteSpace(settings.BuilderImage)
            ? DefaultBuilderFor(runner)
            : ImageReference.Parse(settings.BuilderImage.Trim(), "ContainerBuilderImage");
        if (builder.IsAlpine != runner.IsAlpine)
        {
            warnings.Add((Errors.MixedCLibraries, Errors.Create(Errors.MixedCLibraries, builder, runner).Message));
        }

        var files = ResolveFiles(settings);
        bool isProject = ResolveProject(settings, files);
        EntryPoint entryPoint = EntryPointResolver.Resolve(settings, files);
        CheckEntryPointExists(entryPoint, files);
        ServerRules.CheckFactory(entryPoint);
        InstallStrategy strategy = ResolveStrategy(settings, isProject, entryPoint);
        List<string> requirements = RequirementsReader.Read(settings.RequirementsFiles, settings.Requirements, settings.ProjectDirectory);
        string user = ValidateUser(settings.User);
        warnings.AddRange(InputWarnings.For(files, entryPoint, requirements, isProject, user));
        var pyproject = isProject ? PyProjectReader.Read(files) : (Dependencies: null, BuildRequirements: null);
        List<ContainerPort> ports = ResolvePorts(settings.Ports, entryPoint);
        List<NamedValue> variables = settings.EnvironmentVariables.Select(ValidateEnvironmentVariable).ToList();
        ServerRules.CheckPortVariable(variables, ports);
        string workingDirectory = ValidateWorkingDirectory(settings.WorkingDirectory);

        return new PythonApp
        {
            ProjectName = settings.ProjectName,
            Files = files,
            Requirements = requirements,
            BuilderImage = builder,
            RunnerImage = runner,
            EntryPoint = entryPoint,
            Ports = ports,
            EnvironmentVariables = variables,
            Labels = settings.Labels.Select(ValidateLabel).ToList(),
            User = user,
            WorkingDirectory = workingDirectory,
            BuildPackages = ValidatePackages(settings.BuildPackages, "ContainerBuildPackage"),
            RuntimePackages = ValidatePackages(settings.RuntimePackages, "ContainerRuntimePackage"),
            PackageIndexUrl = ValidateUrl(settings.PackageIndexUrl, "PythonPackageIndexUrl"),
            ExtraPackageIndexUrl = ValidateUrl(settings.ExtraPackageIndexUrl, "PythonExtraPackageIndexUrl"),
            Generator = settings.Generator ?? "PyContainer",
            PythonVersion = pythonVersion,
            UsesDefaultImages = defaultImages,
            InstallStrategy = strategy,
            BuildKit = settings.BuildKit,
            IsPythonProject = isProject,
            ProjectDependencies = pyproject.Dependencies,
            ProjectBuildRequirements = pyproject.BuildRequirements,
            DjangoCollectStatic = entryPoint.Kind == EntryPointKind.Django && settings.DjangoCollectStatic,
            DjangoMigrate = entryPoint.Kind == EntryPointKind.Django && (settings.DjangoMigrate ?? true),
            DjangoFixtures = ValidateFixtures(settings.DjangoFixtures, files),
            DjangoSettingsModule = entryPoint.DjangoSettingsModule,
            HealthCheckPath = ValidateHealthCheckPath(settings.HealthCheckPath),
            WritableDirectories = WritableDirectory.Resolve(settings.WritableDirectories, workingDirectory, files.Select(f => f.AppPath).ToList()),
            StartupSteps = StartupStep.Resolve(settings.StartupSteps, entryPoint.Kind == EntryPointKind.Django ? ["migrate", "loaddata"] : []),
            EntryPointCheck = settings.EntryPointCheck,
            Warnings = warnings,
        };
    }

    private static InstallStrategy ResolveStrategy(PythonAppSettings settings, bool isProject, EntryPoint entryPoint)
    {
        string value = string.IsNullOrWhiteSpace(settings.InstallStrategy) ? "wheels" : settings.InstallStrategy.Trim().ToLowerInvariant();
        InstallStrategy strategy = value switch
        {
            "wheels" => InstallStrategy.Wheels,
            "venv" => InstallStrategy.Venv,
            "pex" => InstallStrategy.Pex,
            _ => throw Errors.Create(Errors.UnknownInstallStrategy, settings.InstallStrategy),
        };
        if (strategy == InstallStrategy.Pex && !isProject)
        {
            throw Errors.Create(Errors.PexNeedsProject);
        }

        if (strategy == InstallStrategy.Pex && entryPoint.Kind is EntryPointKind.Command or EntryPointKind.Django or EntryPointKind.Script)
        {
            throw Errors.Create(Errors.InvalidPropertyValue, "PythonInstallStrategy", "pex", "a pex runs a WSGI/ASGI app, a module or a script; use the wheels or venv strategy for this entry point");
        }

        return strategy;
    }

    private static bool ResolveProject(PythonAppSettings settings, IReadOnlyList<AppFile> files)
    {
        if (string.IsNullOrWhiteSpace(settings.PythonProjectDirectory))
        {
            return false;
        }

        string directory = Path.GetFullPath(settings.PythonProjectDirectory, settings.ProjectDirectory);
        if (Path.GetFullPath(settings.ProjectDirectory).TrimEnd('/', '\\') != directory.TrimEnd('/', '\\'))
        {
            throw Errors.Create(Errors.InvalidPythonProject, settings.PythonProjectDirectory, "only the project's own folder ('.') is supported");
        }

        if (!files.Any(f => f.AppPath is "pyproject.toml" or "setup.py"))
        {
            throw Errors.Create(Errors.InvalidPythonProject, settings.PythonProjectDirectory, "neither its pyproject.toml nor its setup.py is among the app's files (a .dockerignore line may leave it out: a PythonContent item adds it back)");
        }

        return true;
    }

    private static List<string> ValidateFixtures(IList<string> fixtures, IReadOnlyList<AppFile> files)
    {
        foreach (string fixture in fixtures)
        {
            if (!files.Any(f => f.AppPath == fixture.Replace('\\', '/')))
            {
                throw Errors.Create(Errors.InvalidPropertyValue, "PythonDjangoFixture", fixture, "it must also be a PythonContent item (path relative to the project)");
            }
        }

        return fixtures.Select(f => f.Replace('\\', '/')).ToList();
    }

    private static string? ValidateHealthCheckPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        string value = path.Trim();
        return HealthCheckPathPattern.IsMatch(value)
            ? value
            : throw Errors.Create(Errors.InvalidPropertyValue, "ContainerHealthCheckPath", value, "use an absolute URL path of letters, digits and '/._~-', e.g. '/healthz'");
    }

    /// <summary>The slim runner's full sibling (compilers, headers) when the runner is an official slim image, else the runner itself.</summary>
    private static ImageReference DefaultBuilderFor(ImageReference runner)
    {
        if (runner.Digest is null && runner.Tag is { } tag && tag.EndsWith("-slim", StringComparison.Ordinal))
        {
            return runner with { Tag = tag[..^"-slim".Length] };
        }

        if (runner.Digest is null && runner.Tag is { } t && t.Contains("-slim-", StringComparison.Ordinal))
        {
            return runner with { Tag = t.Replace("-slim-", "-", StringComparison.Ordinal) };
        }

        return runner;
    }

    private static List<AppFile> ResolveFiles(PythonAppSettings settings)
    {
        string root = Path.GetFullPath(settings.ProjectDirectory);
        var byAppPath = new Dictionary<string, AppFile>(StringComparer.Ordinal);
        foreach (InputFile input in settings.Files)
        {
            string full = Path.GetFullPath(input.Path, root);
            if (!File.Exists(full))
            {
                throw Errors.Create(Errors.SourceFileMissing, input.ItemType, input.Path);
            }

            string appPath;
            if (!string.IsNullOrWhiteSpace(input.Link))
            {
                appPath = input.Link.Replace('\\', '/').TrimStart('/');
            }
            else
            {
                appPath = Path.GetRelativePath(root, full).Replace('\\', '/');
                if (appPath.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(appPath))
                {
                    throw Errors.Create(Errors.SourceOutsideProject, input.ItemType, input.Path);
                }
            }

            if (appPath.Length == 0 || appPath.Split('/').Any(part => part is "" or "." or "..") || appPath.Any(char.IsControl))
            {
                throw Errors.Create(Errors.SourceOutsideProject, input.ItemType, input.Path);
            }

            var file = new AppFile(full, appPath);
            if (byAppPath.TryGetValue(appPath, out AppFile? existing))
            {
                if (!string.Equals(existing.SourcePath, full, StringComparison.Ordinal))
                {
                    throw Errors.Create(Errors.DuplicateContextPath, appPath, existing.SourcePath, full);
                }

                continue;
            }

            byAppPath.Add(appPath, file);
        }

        return byAppPath.Values.OrderBy(f => f.AppPath, StringComparer.Ordinal).ToList();
    }

    /// <summary>A script entry point must be one of the app's files: an image that cannot start is worse than an error now.</summary>
    private static void CheckEntryPointExists(EntryPoint entryPoint, IReadOnlyList<AppFile> files)
    {
        if (entryPoint.Kind == EntryPointKind.Script && !files.Any(f => f.AppPath == entryPoint.Value))
        {
            throw Errors.Create(Errors.InvalidPropertyValue, "PythonScript", entryPoint.Value, "no PythonSource item has that path");
        }
    }

    private static List<ContainerPort> ResolvePorts(IList<NamedValue> ports, EntryPoint entryPoint)
    {
        var result = new List<ContainerPort>();
        foreach (NamedValue port in ports)
        {
            string type = string.IsNullOrWhiteSpace(port.Value) ? "tcp" : port.Value.Trim().ToLowerInvariant();
            if (!int.TryParse(port.Name.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
            {
                throw Errors.Create(Errors.InvalidPort, port.Name, "the port is not a number from 1 to 65535");
            }

            if (type is not ("tcp" or "udp"))
            {
                throw Errors.Create(Errors.InvalidPort, port.Name, $"Type '{port.Value}' is neither 'tcp' nor 'udp'");
            }

            result.Add(new ContainerPort(number, type));
        }

        if (result.Count == 0 && entryPoint.IsWebApp)
        {
            result.Add(new ContainerPort(DefaultWebPort, "tcp"));
        }

        return result;
    }

    private static NamedValue ValidateEnvironmentVariable(NamedValue variable) =>
        ValidateNamedValue(variable, EnvironmentNamePattern, Errors.InvalidEnvironmentVariable, "names use letters, digits and '_' and do not start with a digit");

    private static NamedValue ValidateLabel(NamedValue label) =>
        ValidateNamedValue(label, LabelNamePattern, Errors.InvalidLabel, "label keys use lower-case letters, digits, '.' and '-' (e.g. 'com.example.team')");

    /// <summary>A name that fits <paramref name="namePattern"/> and a value without line breaks: the quoting in the Dockerfile does the rest.</summary>
    private static NamedValue ValidateNamedValue(NamedValue item, Regex namePattern, string code, string nameRule)
    {
        if (!namePattern.IsMatch(item.Name))
        {
            throw Errors.Create(code, item.Name, nameRule);
        }

        if (item.Value.Any(char.IsControl))
        {
            throw Errors.Create(code, item.Name, "the Value holds a line break or another control character");
        }

        return item;
    }

    private static string ValidateUser(string? user)
    {
        string value = string.IsNullOrWhiteSpace(user) ? DefaultUser : user.Trim();
        return UserPattern.IsMatch(value) ? value : throw Errors.Create(Errors.InvalidUser, value);
    }

    private static string ValidateWorkingDirectory(string? directory)
    {
        string value = string.IsNullOrWhiteSpace(directory) ? DefaultWorkingDirectory : directory.Trim().TrimEnd('/');
        return AbsolutePathPattern.IsMatch(value) && value.Length > 1 && !value.Contains("..", StringComparison.Ordinal)
            ? value
            : throw Errors.Create(Errors.InvalidWorkingDirectory, directory);
    }

    private static List<string> ValidatePackages(IList<string> packages, string itemType)
    {
        foreach (string package in packages)
        {
            if (!OsPackagePattern.IsMatch(package))
            {
                throw Errors.Create(Errors.InvalidOsPackage, itemType, package);
            }
        }

        return packages.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string? ValidateUrl(string? url, string property)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        string value = url.Trim();
        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https" && !value.Any(char.IsControl) && !value.Contains(' ', StringComparison.Ordinal)
            ? value
            : throw Errors.Create(Errors.InvalidIndexUrl, property, value);
    }
}
