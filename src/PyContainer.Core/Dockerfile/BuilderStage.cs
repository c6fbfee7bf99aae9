using PyContainer.Dockerfile.Strategies;

namespace PyContainer.Dockerfile;

/// <summary>
/// The "builder" stage: the full image and build-only OS packages, where the strategy builds the dependencies and
/// the project. Python steps go from what changes most rarely to what changes most often: build backend,
/// requirements, then the app's sources.
/// </summary>
internal static class BuilderStage
{
    private const string PipCacheMount = "--mount=type=cache,id=pycontainer-pip,target=/root/.cache/pip";

    public static void Write(DockerfileWriter writer, InstallStrategySteps steps)
    {
        var app = steps.App;
        writer.From(app.UsesDefaultImages ? "python:${PYTHON_VERSION}" : app.BuilderImage.ToString(), "builder")
            // Package sources arrive as build arguments of this stage only: the runner never sees them.
            .Arg("PIP_INDEX_URL")
            .Arg("PIP_EXTRA_INDEX_URL")
            .Env(
            [
                new("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
                // Progress bars are redrawn lines that bury the real error in a failing step's log (PYC3002).
                new("PIP_PROGRESS_BAR", "off"),
                new("PIP_ROOT_USER_ACTION", "ignore"),
                new("PYTHONDONTWRITEBYTECODE", "1"),
            ]);
        if (app.BuildPackages.Count > 0)
        {
            writer.Run(OsPackageManager.For(app.BuilderImage).Install(app.BuildPackages));
        }

        // The pip cache lives in BuildKit's cache, not in a layer: a requirement change re-downloads only what changed.
        IReadOnlyList<string>? cache = steps.BuildKit ? [PipCacheMount] : null;
        steps.WriteBuilderTools(writer);

        // First of the Python steps: the build backend changes more rarely than the requirements. As for pex:
        // --no-cache-dir (hadolint DL3042) and no cache mount, the layer itself is the cache.
        if (steps.PreparesBuildBackend)
        {
            const string buildEnv = InstallStrategySteps.BuildEnvPath;
            writer.Copy(GeneratedContext.BuildRequirementsContextPath, "/src/build-requirements.txt")
                .Run([$"python3 -m venv {buildEnv}", $"{buildEnv}/bin/python -m pip install --no-cache-dir --requirement /src/build-requirements.txt"]);
        }

        if (steps.RequirementLines.Count > 0)
        {
            writer.Copy(GeneratedContext.RequirementsContextPath, "/src/requirements.txt")
                .Run(steps.InstallInBuilder("--requirement /src/requirements.txt"), cache);
        }

        if (app.IsPythonProject)
        {
            steps.WriteProjectBuild(writer, cache);
        }

        steps.WriteBuilderResult(writer);
    }
}
