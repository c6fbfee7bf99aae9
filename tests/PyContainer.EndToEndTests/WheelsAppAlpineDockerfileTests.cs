using System.Text.RegularExpressions;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// samples/wheels-app's Alpine variant (the Alpine write-up's images): the Dockerfile the packed SDK generates for it.
/// Its image is neither built nor run here, and the names say so: no Alpine (musl) image can be made offline. Docker
/// Hub is unreachable, Debian has no apk-tools and no musl-built CPython (only the musl C library), and the Dockerfile's
/// `apk add alpine-sdk` needs an Alpine package mirror, which is not served here either.
/// </summary>
public sealed class WheelsAppAlpineDockerfileTests
{
    [Fact]
    public async Task Alpine_variant_s_Dockerfile_wheels_with_alpine_sdk_in_the_builder_and_installs_only_those_wheels_in_the_runner()
    {
        string dockerfile = await GenerateAlpineDockerfileAsync();
        string[] stages = Regex.Split(dockerfile, @"^(?=FROM )", RegexOptions.Multiline).Where(s => s.StartsWith("FROM ", StringComparison.Ordinal)).ToArray();

        // builder, runner, the entry-point check FROM the runner, and the image: the runner as it is.
        Assert.Equal(4, stages.Length);
        string builder = stages[0], runner = stages[1].TrimEnd() + "\n";
        Assert.StartsWith("FROM runner AS check\n", stages[2], StringComparison.Ordinal);
        Assert.Equal("FROM runner AS final\n", stages[3]);
        Assert.Matches(@"^FROM python:[^\s]*-alpine AS builder\n", builder);
        Assert.Matches(@"^FROM python:[^\s]*-alpine AS runner\n", runner);
        Assert.DoesNotContain("apt-get", dockerfile, StringComparison.Ordinal);

        Assert.Contains("RUN apk add --no-cache alpine-sdk\n", builder, StringComparison.Ordinal);
        // The project's dependencies (static in pyproject.toml) are wheeled first, then its build backend is
        // installed, then the project is wheeled alone in it.
        Assert.Contains("pip wheel --wheel-dir /wheels --requirement /src/requirements.txt", builder, StringComparison.Ordinal);
        Assert.Contains("/opt/build-env/bin/python -m pip install --no-cache-dir --requirement /src/build-requirements.txt", builder, StringComparison.Ordinal);
        Assert.Contains("/opt/build-env/bin/python -m pip wheel --no-build-isolation --wheel-dir /project-wheel --no-deps /src/app", builder, StringComparison.Ordinal);

        // The runner installs the builder's wheels (nothing from an index, nothing compiled), dependencies first,
        // and runs runapp.py.
        Assert.DoesNotContain("apk ", runner, StringComparison.Ordinal);
        Assert.DoesNotContain("pip wheel", runner, StringComparison.Ordinal);
        Assert.DoesNotContain("PIP_INDEX_URL", runner, StringComparison.Ordinal);
        var installs = Regex.Matches(runner, @"pip\b[^\n]*\binstall\b[^\n]*").Select(m => m.Value).ToList();
        Assert.Equal(2, installs.Count);
        Assert.All(installs, install => Assert.Contains("--no-index", install, StringComparison.Ordinal));
        Assert.EndsWith(" /wheels/*.whl", installs[0], StringComparison.Ordinal);
        Assert.EndsWith(" /project-wheel/*.whl", installs[1], StringComparison.Ordinal);
        Assert.Contains("--mount=type=bind,from=builder,source=/wheels,target=/wheels", runner, StringComparison.Ordinal);
        Assert.Contains("--mount=type=bind,from=builder,source=/project-wheel,target=/project-wheel", runner, StringComparison.Ordinal);
        Assert.EndsWith("CMD [\"python3\", \"runapp.py\"]\n", runner, StringComparison.Ordinal);
    }

    /// <summary>The Dockerfile of the Alpine variant, generated with the sample's own images (not the test environment's).</summary>
    private static async Task<string> GenerateAlpineDockerfileAsync()
    {
        using var sample = SampleProject.CopyOf("wheels-app");
        (await sample.BuildAsIsAsync("ContainerDockerfile", "SampleVariant=alpine")).ShouldSucceed("dotnet build -t:ContainerDockerfile -p:SampleVariant=alpine");
        return sample.GeneratedDockerfile();
    }
}
