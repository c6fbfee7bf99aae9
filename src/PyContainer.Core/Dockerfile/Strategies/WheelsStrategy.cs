using PyContainer.Model;

namespace PyContainer.Dockerfile.Strategies;

/// <summary>
/// The builder makes wheels; the runner installs them into its venv through a bind mount from the builder, so no
/// wheel lands in a layer. Needs BuildKit (RUN --mount): <see cref="InstallStrategySteps.For"/> picks
/// <see cref="VenvStrategy"/> for the legacy builder.
/// </summary>
internal sealed class WheelsStrategy(PythonApp app) : InstallStrategySteps(app, buildKit: true)
{
    public override InstallStrategy Kind => InstallStrategy.Wheels;

    public override IReadOnlyList<string> InstallInBuilder(string what) => [BuildWheels(what)];

    protected override void WriteBuiltDependencies(DockerfileWriter writer)
    {
        // The wheels reach the base image's pip through a bind mount, so they never land in a layer.
        string install = InstallWheels($"--find-links {WheelDirectory} {WheelDirectory}/*.whl");
        // Only a build of the project tells its dependencies: there may be none.
        writer.Run([.. CreateVenv, SeparatesProject && !BuildsProjectAlone ? ProjectSplit.InstallDependenciesIfAny(WheelDirectory, install) : install], [MountFromBuilder(WheelDirectory)]);
        if (SeparatesProject)
        {
            writer.Run([InstallWheels($"{ProjectWheelDirectory}/*.whl")], [MountFromBuilder(ProjectWheelDirectory)]);
        }
    }

    private static string InstallWheels(string what) =>
        $"python3 -m pip --python {VenvPath}/bin/python install --no-index --no-cache-dir --disable-pip-version-check {what}";

    private static string MountFromBuilder(string directory) => $"--mount=type=bind,from=builder,source={directory},target={directory}";
}
