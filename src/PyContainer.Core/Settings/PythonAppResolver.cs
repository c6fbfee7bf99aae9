using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Python;

namespace PyContainer.Settings;

/// <summary>
/// Turns the project's <see cref="PythonAppSettings"/> into the validated <see cref="PythonApp"/>, or fails with
/// a coded error naming the property or item: files, entry point, strategy, images and every value the
/// Dockerfile will hold.
/// </summary>
public static class PythonAppResolver
{
    public static PythonApp Resolve(PythonAppSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var warnings = new List<(string Code, string Message)>();
        ContainerBuildMode mode = BuildModeResolver.Mode(settings.ContainerBuildMode);
        string? libc = BuildModeResolver.Libc(settings.ContainerBaseImageLibc);
        string pythonVersion = PythonVersionDetector.Detect(settings.PythonVersion, settings.ProjectDirectory);
        bool defaultImages = string.IsNullOrWhiteSpace(settings.ContainerBaseImage) && string.IsNullOrWhiteSpace(settings.ContainerBuilderImage);
        ImageReference runner = ImageReference.Parse(
            string.IsNullOrWhiteSpace(settings.ContainerBaseImage) ? $"python:{pythonVersion}-slim" : settings.ContainerBaseImage.Trim(),
            "ContainerBaseImage");
        ImageReference builder = string.IsNullOrWhiteSpace(settings.ContainerBuilderImage)
            ? DefaultBuilderFor(runner)
            : ImageReference.Parse(settings.ContainerBuilderImage.Trim(), "ContainerBuilderImage");
        if (builder.IsAlpine != runner.IsAlpine)
        {
            warnings.Add((Errors.MixedCLibraries, Errors.Create(Errors.MixedCLibraries, builder, runner).Message));
        }

        var files = AppFileResolver.Resolve(settings);
        bool isProject = ResolveProject(settings, files);
        EntryPoint entryPoint = EntryPointResolver.Resolve(settings, files);
        CheckEntryPointExists(entryPoint, files);
        ServerRules.CheckFactory(entryPoint);
        InstallStrategy strategy = ResolveStrategy(settings, isProject, entryPoint);
        List<string> requirements = RequirementsReader.Read(settings.PythonRequirementsFile, settings.PythonRequirement, settings.ProjectDirectory);
        string user = SettingValidation.User(settings.ContainerUser);
        warnings.AddRange(InputWarnings.For(files, entryPoint, requirements, isProject, user));
        var pyproject = isProject ? PyProjectReader.Read(files) : (Dependencies: null, BuildRequirements: null);
        List<ContainerPort> ports = ResolvePorts(settings.ContainerPort, entryPoint);
        List<NamedValue> variables = settings.ContainerEnvironmentVariable.Select(SettingValidation.EnvironmentVariable).ToList();
        ServerRules.CheckPortVariable(variables, ports);
        string workingDirectory = SettingValidation.WorkingDirectory(settings.ContainerWorkingDirectory);

        var app = new PythonApp
        {
            ProjectName = settings.ProjectName,
            Files = files,
            Requirements = requirements,
            BuilderImage = builder,
            RunnerImage = runner,
            EntryPoint = entryPoint,
            Ports = ports,
            EnvironmentVariables = variables,
            Labels = settings.ContainerLabel.Select(SettingValidation.Label).ToList(),
            User = user,
            WorkingDirectory = workingDirectory,
            BuildPackages = SettingValidation.Packages(settings.ContainerBuildPackage, "ContainerBuildPackage"),
            RuntimePackages = SettingValidation.Packages(settings.ContainerRuntimePackage, "ContainerRuntimePackage"),
            PackageIndexUrl = SettingValidation.Url(settings.PythonPackageIndexUrl, "PythonPackageIndexUrl"),
            ExtraPackageIndexUrl = SettingValidation.Url(settings.PythonExtraPackageIndexUrl, "PythonExtraPackageIndexUrl"),
            Generator = settings.Generator ?? "PyContainer",
            PythonVersion = pythonVersion,
            UsesDefaultImages = defaultImages,
            InstallStrategy = strategy,
            BuildKit = settings.ContainerBuildKit,
            IsPythonProject = isProject,
            ProjectDependencies = pyproject.Dependencies,
            ProjectBuildRequirements = pyproject.BuildRequirements,
            DjangoCollectStatic = entryPoint.Kind == EntryPointKind.Django && settings.PythonDjangoCollectStatic,
            DjangoMigrate = entryPoint.Kind == EntryPointKind.Django && (settings.PythonDjangoMigrate ?? true),
            DjangoFixtures = ValidateFixtures(settings.PythonDjangoFixture, files),
            DjangoSettingsModule = entryPoint.DjangoSettingsModule,
            HealthCheckPath = SettingValidation.HealthCheckPath(settings.ContainerHealthCheckPath),
            WritableDirectories = WritableDirectoryResolver.Resolve(settings.ContainerWritableDirectory, workingDirectory, files.Select(f => f.AppPath).ToList()),
            StartupSteps = StartupStepResolver.Resolve(settings.ContainerStartupStep, entryPoint.Kind == EntryPointKind.Django ? ["migrate", "loaddata"] : []),
            EntryPointCheck = settings.PythonEntryPointCheck,
            BuildMode = mode,
            RequestedPythonVersion = string.IsNullOrWhiteSpace(settings.PythonVersion) ? null : settings.PythonVersion.Trim(),
            BaseImageLibc = libc,
            Warnings = warnings,
        };
        if (mode != ContainerBuildMode.Daemonless)
        {
            return app;
        }

        // What daemonless cannot do (PYC1051) before which lock to read (PYC1052/1053): no lock makes a RUN step possible.
        Daemonless.ImagePlanGenerator.CheckNoRunSteps(app);
        return app with { LockFile = BuildModeResolver.LockFile(settings, app) };
    }

    private static InstallStrategy ResolveStrategy(PythonAppSettings settings, bool isProject, EntryPoint entryPoint)
    {
        string value = settings.PythonInstallStrategy.Trim().ToLowerInvariant();
        InstallStrategy strategy = value switch
        {
            "wheels" => InstallStrategy.Wheels,
            "venv" => InstallStrategy.Venv,
            "pex" => InstallStrategy.Pex,
            _ => throw Errors.Create(Errors.UnknownInstallStrategy, settings.PythonInstallStrategy),
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
            result.Add(new ContainerPort(PythonApp.DefaultWebPort, "tcp"));
        }

        return result;
    }
}
