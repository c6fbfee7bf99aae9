using PyContainer.Daemonless;
using PyContainer.Diagnostics;
using PyContainer.Model;
using PyContainer.Python.Wheels;
using PyContainer.Tests.TestSupport;

namespace PyContainer.Tests.Daemonless;

/// <summary>The platform wheels are chosen for, and the mismatches between project and base image that stop a build.</summary>
public sealed class TargetPlatformsTests
{
    private const string Image = "localhost:5000/python:3.11-bookworm";

    private static readonly BaseImageFacts Debian = new("/usr/bin/python3", "3.11", "3.11.2", "glibc", "2.36");

    private readonly RecordingLog _log = new();

    [Fact]
    public void The_base_images_Python_and_glibc_make_the_target()
    {
        TargetPlatform target = TargetPlatforms.For(Image, Debian, "amd64", Plan(), _log);

        Assert.Equal(new TargetPlatform("3.11", "3.11.2", "x86_64", Libc.Glibc, "2.36"), target);
    }

    [Fact]
    public void A_PythonVersion_the_base_image_does_not_hold_is_PYC3019_naming_the_property()
    {
        var e = Assert.Throws<PyContainerException>(() => TargetPlatforms.For(Image, Debian, "amd64", Plan(pythonVersion: "3.12"), _log));

        Assert.Equal(Errors.BaseImageMismatch, e.Code);
        Assert.Contains("Python 3.11.2 but PythonVersion is 3.12", e.Message, StringComparison.Ordinal);
        Assert.Contains("Set PythonVersion", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_patch_level_PythonVersion_of_the_same_minor_version_matches()
    {
        Assert.Equal("3.11", TargetPlatforms.For(Image, Debian, "amd64", Plan(pythonVersion: "3.11.2"), _log).PythonVersion);
    }

    [Fact]
    public void ContainerBaseImageLibc_musl_on_a_glibc_image_is_PYC3019()
    {
        var e = Assert.Throws<PyContainerException>(() => TargetPlatforms.For(Image, Debian, "amd64", Plan(libc: "musl"), _log));

        Assert.Equal(Errors.BaseImageMismatch, e.Code);
        Assert.Contains("its C library is glibc but ContainerBaseImageLibc is musl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base_with_neither_loader_and_no_ContainerBaseImageLibc_is_PYC3018()
    {
        var e = Assert.Throws<PyContainerException>(() => TargetPlatforms.For(Image, Debian with { Libc = null, LibcVersion = null }, "amd64", Plan(), _log));

        Assert.Equal(Errors.BaseImageUnusable, e.Code);
        Assert.Contains("set ContainerBaseImageLibc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContainerBaseImageLibc_names_the_library_an_image_does_not_show_and_an_unknown_glibc_version_is_the_oldest_manylinux()
    {
        TargetPlatform target = TargetPlatforms.For(Image, Debian with { Libc = null, LibcVersion = null }, "arm64", Plan(libc: "glibc"), _log);

        Assert.Equal(new TargetPlatform("3.11", "3.11.2", "aarch64", Libc.Glibc, "2.17"), target);
        Assert.Contains(_log.Infos, l => l.Contains("does not say its glibc version", StringComparison.Ordinal));
    }

    [Fact]
    public void A_platform_of_ContainerRuntimeIdentifiers_targets_its_machine()
    {
        TargetPlatform target = TargetPlatforms.For(Image, Debian, ContainerPlatform.Parse("linux-arm64", "ContainerRuntimeIdentifiers"), "ContainerRuntimeIdentifiers", Plan(), _log);

        Assert.Equal(new TargetPlatform("3.11", "3.11.2", "aarch64", Libc.Glibc, "2.36"), target);
    }

    [Theory]
    [InlineData("linux-musl-x64", "glibc", "which means musl")]
    [InlineData("linux-arm64", "musl", "which means glibc")]
    public void A_runtime_identifier_for_the_other_C_library_is_PYC3019_naming_ContainerRuntimeIdentifiers(string rid, string libc, string expected)
    {
        ContainerPlatform platform = ContainerPlatform.Parse(rid, "ContainerRuntimeIdentifiers");

        var e = Assert.Throws<PyContainerException>(() => TargetPlatforms.For(Image, Debian with { Libc = libc }, platform, "ContainerRuntimeIdentifiers", Plan(), _log));

        Assert.Equal(Errors.BaseImageMismatch, e.Code);
        Assert.Contains($"C library is {libc} but ContainerRuntimeIdentifiers has {rid}, {expected}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Set ContainerRuntimeIdentifiers", e.Message, StringComparison.Ordinal);
    }

    private static ImagePlan Plan(string? pythonVersion = null, string? libc = null) => new()
    {
        BaseImage = Image,
        PythonVersion = pythonVersion,
        Libc = libc,
        VirtualEnvironment = "/opt/venv",
        WorkingDirectory = "/app",
        User = "10001",
        Environment = [],
        PathPrefix = "/opt/venv/bin",
        ExposedPorts = [],
        Volumes = [],
        Labels = [],
        Cmd = ["python3", "app.py"],
        Files = [],
        WritableDirectories = [],
    };
}
