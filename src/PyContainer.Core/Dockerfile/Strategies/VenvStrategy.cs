using PyContainer.Model;

namespace PyContainer.Dockerfile.Strategies;

/// <summary>The builder fills a venv; the runner copies it. Works with the legacy builder too.</summary>
internal sealed class VenvStrategy(PythonApp app, bool buildKit) : InstallStrategySteps(app, buildKit)
{
    /// <summary>The project alone is installed into a prefix of its own, merged into the runner's venv.</summary>
    private const string ProjectPrefix = "/opt/project";

    private const string InstallProjectIntoPrefix = $"python3 -m pip --python {VenvPath}/bin/python install --no-index --no-warn-script-location --prefix {ProjectPrefix} {ProjectWheelDirectory}/*.whl";

    public override InstallStrategy Kind => InstallStrategy.Venv;

    /// <summary>Only the app's dependencies go into the venv: the builder's pip installs into it from outside.</summary>
    public override IReadOnlyList<string> InstallInBuilder(string what) =>
        [.. CreateVenv, $"python3 -m pip --python {VenvPath}/bin/python install {what}"];

    /// <summary>
    /// The project alone into a prefix of its own; before that, when the project's build named its dependencies,
    /// those into the venv (made here unless the requirements step made it). Both installs take no index: they
    /// see the dependencies as installed in the venv, and fail if one is missing.
    /// </summary>
    protected override IEnumerable<string> InstallBuiltProject(bool alone) => alone
        ? [InstallProjectIntoPrefix]
        :
        [
            .. RequirementLines.Count > 0 ? [] : CreateVenv,
            ProjectSplit.InstallDependenciesIfAny(WheelDirectory, $"{ProjectSplit.ReproducibleBytecode} python3 -m pip --python {VenvPath}/bin/python install --no-index --find-links {WheelDirectory} {WheelDirectory}/*.whl"),
            InstallProjectIntoPrefix,
        ];

    protected override void WriteBuiltDependencies(DockerfileWriter writer)
    {
        writer.Copy(VenvPath, VenvPath, "--from=builder");
        if (SeparatesProject)
        {
            writer.Copy(ProjectPrefix + "/", VenvPath + "/", "--from=builder");
        }
    }
}
