using PyContainer.Model;

namespace PyContainer.Dockerfile.Strategies;

/// <summary>
/// The builder makes one self-contained .pex file of the project and its dependencies; the runner copies that
/// file, unpacks it at build time and starts the app through it.
/// </summary>
internal sealed class PexStrategy(PythonApp app, bool buildKit) : InstallStrategySteps(app, buildKit)
{
    public const string PexPath = "/opt/app.pex";

    /// <summary>Where the pex is unpacked at build time, so that it writes nothing when the container starts (--read-only).</summary>
    private const string PexRoot = "/opt/pex-root";

    public override InstallStrategy Kind => InstallStrategy.Pex;

    /// <summary>The pex packs the project and its dependencies into one file anyway: nothing to separate.</summary>
    public override bool SeparatesProject => false;

    public override IReadOnlyList<string>? CommandPrefix => ["python3", PexPath];

    /// <summary>The pex sets up its own sys.path.</summary>
    public override bool NeedsPythonPath => false;

    public override void WriteBuilderTools(DockerfileWriter writer) =>
        // The index's newest pex (from PyPI: pex 2, which builds for every current Python). The command line
        // below keeps to options pex has had since 1.x, so a mirror's older, patched pex works too.
        // --no-cache-dir (hadolint DL3042) and so no pip cache mount: one small package, cached by its layer.
        writer.Run(["python3 -m venv /opt/pex-tool", "/opt/pex-tool/bin/python -m pip install --no-cache-dir pex"]);

    public override IReadOnlyList<string> InstallInBuilder(string what) => [BuildWheels(what)];

    public override void WriteProjectBuild(DockerfileWriter writer, IReadOnlyList<string>? cache) =>
        writer.Copy(GeneratedContext.AppContextDirectory + "/", "/src/app/")
            .Run(InstallInBuilder("/src/app"), cache);

    public override void WriteBuilderResult(DockerfileWriter writer)
    {
        var pex = $"/opt/pex-tool/bin/pex --no-index --find-links {WheelDirectory} {WheelDirectory}/*.whl --output-file {PexPath}";
        if (EntryPoint(App.EntryPoint) is { } entryPoint)
        {
            pex += " " + entryPoint;
        }

        writer.Run([pex]);
    }

    public override void WriteRunnerDependencies(DockerfileWriter writer) =>
        // A pex unpacks itself on first run: into a folder the non-root user may write.
        writer.Copy(PexPath, PexPath, "--from=builder")
            .Env(RunnerEnvironment);

    public override IReadOnlyList<NamedValue> RunnerEnvironment => [new("PEX_ROOT", PexRoot)];

    /// <summary>python3 runs the pex: PATH stays the base image's.</summary>
    public override string? PathPrefix => null;

    /// <summary>Unpacked now, as root, into a folder the runtime user only reads: nothing is written at start.</summary>
    public override void WriteApp(DockerfileWriter writer, List<string> prepare) =>
        prepare.Add($"PEX_INTERPRETER=1 python3 {PexPath} -c pass");

    /// <summary>The pex sets up its own sys.path, then runs the check script as its interpreter.</summary>
    public override void WriteCheckEnvironment(DockerfileWriter writer) =>
        writer.Env([new("PEX_INTERPRETER", "1")]);

    /// <summary>What a pex runs when started: the server's console script, or the app's module.</summary>
    private static string? EntryPoint(EntryPoint entryPoint) => entryPoint.Kind switch
    {
        EntryPointKind.Module => "--entry-point " + entryPoint.Value,
        _ when entryPoint.IsWebApp => "--script " + StartCommand.ServerScript(entryPoint.Server),
        _ => null,
    };
}
