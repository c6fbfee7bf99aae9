using PyContainer.Diagnostics;
using PyContainer.Docker;
using PyContainer.Dockerfile;
using PyContainer.Model;
using PyContainer.Oci;
using PyContainer.Registry;

namespace PyContainer.Tests.Docker;

public sealed class MultiPlatformEngineTests
{
    private static readonly IReadOnlyList<ContainerPlatform> X64AndArm64 = ContainerPlatform.ParseAll("linux-x64;linux-arm64", null);

    [Fact]
    public void A_binfmt_handler_file_gives_its_state_and_flags()
    {
        BinfmtHandler handler = BinfmtHandler.Parse("qemu-aarch64", "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\noffset 0\nmagic 7f454c46\n");
        Assert.Equal(new BinfmtHandler("qemu-aarch64", true, "PF"), handler);
        Assert.False(BinfmtHandler.Parse("qemu-arm", "disabled\nflags: \n").Enabled);
    }

    [Fact]
    public void Only_platforms_the_engine_cannot_run_natively_need_emulation()
    {
        IReadOnlyList<ContainerPlatform> platforms = ContainerPlatform.ParseAll("linux-x64;linux-x86;linux-arm64;linux-s390x", null);
        Assert.Equal(["linux-arm64", "linux-s390x"], Emulation.Emulated("x86_64", platforms).Select(p => p.RuntimeIdentifier));
        Assert.Equal(["linux-x64", "linux-x86", "linux-s390x"], Emulation.Emulated("aarch64", platforms).Select(p => p.RuntimeIdentifier));
    }

    [Fact]
    public void An_enabled_qemu_handler_with_the_F_flag_is_enough()
    {
        Emulation.Check("unix:///var/run/docker.sock", "x86_64", X64AndArm64, [new BinfmtHandler("qemu-aarch64", true, "PF")]);
    }

    [Theory]
    [InlineData(false, "PF", "disabled")]
    [InlineData(true, "P", "lacks the F flag")]
    public void A_disabled_handler_or_one_without_the_F_flag_is_PYC3023(bool enabled, string flags, string why)
    {
        PyContainerException e = Assert.Throws<PyContainerException>(() =>
            Emulation.Check("unix:///var/run/docker.sock", "x86_64", X64AndArm64, [new BinfmtHandler("qemu-aarch64", enabled, flags)]));
        Assert.Equal(Errors.EmulationMissing, e.Code);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerRuntimeIdentifiers", e.Message, StringComparison.Ordinal);
        Assert.Contains("qemu-user-static", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_binfmt_misc_at_all_is_PYC3023_naming_the_mount()
    {
        PyContainerException e = Assert.Throws<PyContainerException>(() => Emulation.Check("unix:///var/run/docker.sock", "x86_64", X64AndArm64, []));
        Assert.Equal(Errors.EmulationMissing, e.Code);
        Assert.Contains("linux-arm64", e.Message, StringComparison.Ordinal);
        Assert.Contains("mount -t binfmt_misc", e.Message, StringComparison.Ordinal);
        Assert.Contains("--install arm64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_base_images_are_the_FROM_images_with_arguments_substituted_and_stages_left_out()
    {
        const string dockerfile = "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION} AS builder\nRUN true\nFROM localhost:5000/base:1 AS runner\nFROM runner AS check\nFROM builder\n";
        Assert.Equal(["python:3.11", "localhost:5000/base:1"], DockerfileBaseImages.Read(dockerfile, new Dictionary<string, string> { ["PYTHON_VERSION"] = "3.11" }));
        Assert.Equal(["python:3.12", "localhost:5000/base:1"], DockerfileBaseImages.Read(dockerfile, new Dictionary<string, string>()));
        Assert.Equal("localhost:5000/base:1", DockerfileBaseImages.ImageOf(dockerfile, new Dictionary<string, string>(), "runner"));
    }

    [Fact]
    public void The_base_layers_are_shared_only_when_all_of_the_bases_diff_ids_begin_the_image()
    {
        var baseImage = new EngineBaseImage(RemoteImage.Parse("localhost:5000/base:1"), "sha256:" + new string('0', 64), [new Descriptor(MediaTypes.OciLayerGzip, "sha256:" + new string('1', 64), 1)], ["sha256:a", "sha256:b"]);
        Assert.Equal(2, baseImage.SharedLayerCount(["sha256:a", "sha256:b", "sha256:c"]));
        Assert.Equal(2, baseImage.SharedLayerCount(["sha256:a", "sha256:b"]));
        Assert.Equal(0, baseImage.SharedLayerCount(["sha256:a", "sha256:x", "sha256:c"]));
        Assert.Equal(0, baseImage.SharedLayerCount(["sha256:a"]));
    }

    [Fact]
    public void The_binfmt_handler_names_are_Debians_qemu_user_static_ones()
    {
        Assert.Equal("qemu-aarch64", Emulation.HandlerName("arm64"));
        Assert.Equal("qemu-x86_64", Emulation.HandlerName("amd64"));
        Assert.Equal("qemu-s390x", Emulation.HandlerName("s390x"));
    }
}
