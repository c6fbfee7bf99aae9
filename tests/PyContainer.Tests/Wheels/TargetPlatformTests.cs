using PyContainer.Python.Wheels;

namespace PyContainer.Tests.Wheels;

public sealed class TargetPlatformTests
{
    private static readonly TargetPlatform Bookworm = new("3.11", "3.11.2", "x86_64", Libc.Glibc, "2.36");

    [Fact]
    public void Tags_start_with_the_interpreter_abi_and_newest_manylinux()
    {
        IReadOnlyList<string> tags = Bookworm.Tags();

        Assert.Equal("cp311-cp311-manylinux_2_36_x86_64", tags[0]);
        Assert.Equal("cp311-cp311-manylinux_2_35_x86_64", tags[1]);
        Assert.Equal(tags.Count, tags.Distinct().Count());
    }

    [Fact]
    public void Manylinux_aliases_follow_their_pep600_tag_and_linux_comes_last()
    {
        var cp = Bookworm.Tags().Where(t => t.StartsWith("cp311-cp311-", StringComparison.Ordinal)).Select(t => t["cp311-cp311-".Length..]).ToList();

        Assert.Equal(cp.IndexOf("manylinux_2_17_x86_64") + 1, cp.IndexOf("manylinux2014_x86_64"));
        Assert.Equal(cp.IndexOf("manylinux_2_12_x86_64") + 1, cp.IndexOf("manylinux2010_x86_64"));
        Assert.Equal(cp.IndexOf("manylinux_2_5_x86_64") + 1, cp.IndexOf("manylinux1_x86_64"));
        Assert.Equal("linux_x86_64", cp[^1]);
        Assert.DoesNotContain("manylinux_2_4_x86_64", cp);
        Assert.DoesNotContain(cp, p => p.StartsWith("musllinux", StringComparison.Ordinal));
    }

    [Fact]
    public void Tags_follow_pips_priority_order()
    {
        var tags = Bookworm.Tags().ToList();
        int At(string tag) => tags.IndexOf(tag) is >= 0 and int i ? i : throw new Xunit.Sdk.XunitException($"{tag} is missing");

        Assert.True(At("cp311-cp311-linux_x86_64") < At("cp311-abi3-manylinux_2_36_x86_64"));
        Assert.True(At("cp311-abi3-linux_x86_64") < At("cp311-none-manylinux_2_36_x86_64"));
        Assert.True(At("cp311-none-linux_x86_64") < At("cp310-abi3-manylinux_2_36_x86_64"));
        Assert.True(At("cp32-abi3-linux_x86_64") < At("py311-none-manylinux_2_36_x86_64"));
        Assert.True(At("py311-none-linux_x86_64") < At("py3-none-manylinux_2_36_x86_64"));
        Assert.True(At("py30-none-linux_x86_64") < At("cp311-none-any"));
        Assert.Equal(["cp311-none-any", "py311-none-any", "py3-none-any", "py310-none-any"], tags.Skip(At("cp311-none-any")).Take(4));
        Assert.Equal("py30-none-any", tags[^1]);
        Assert.DoesNotContain("cp31-abi3-linux_x86_64", tags);
    }

    [Fact]
    public void Musl_targets_take_musllinux_wheels_newest_first()
    {
        var alpine = new TargetPlatform("3.12", "3.12.8", "aarch64", Libc.Musl, "1.2");

        Assert.Equal(["musllinux_1_2_aarch64", "musllinux_1_1_aarch64", "musllinux_1_0_aarch64", "linux_aarch64"], alpine.Platforms());
        Assert.Equal("cp312-cp312-musllinux_1_2_aarch64", alpine.Tags()[0]);
        Assert.Equal("cp312 musllinux_1_2_aarch64", alpine.Describe());
    }

    [Fact]
    public void Arm_glibc_starts_at_manylinux2014_and_unknown_libc_version_means_the_baseline()
    {
        var arm = new TargetPlatform("3.11", "3.11.2", "aarch64", Libc.Glibc, "2.31");
        var unknown = new TargetPlatform("3.11", "3.11.2", "x86_64", Libc.Glibc, null);

        Assert.Equal("manylinux2014_aarch64", arm.Platforms()[^2]);
        Assert.Equal("manylinux_2_17_x86_64", unknown.Platforms()[0]);
    }

    [Fact]
    public void Record_string_is_a_stable_cache_key()
    {
        Assert.Equal(Bookworm.ToString(), new TargetPlatform("3.11", "3.11.2", "x86_64", Libc.Glibc, "2.36").ToString());
        Assert.NotEqual(Bookworm.ToString(), (Bookworm with { Machine = "aarch64" }).ToString());
    }

    [Theory]
    [InlineData("flask-2.2.2-py3-none-any.whl", "flask", "2.2.2", true)]
    [InlineData("Zope.Interface-5.5.2-cp311-cp311-linux_x86_64.whl", "zope_interface", "5.5.2", true)]
    [InlineData("pkg-1.0-py2.py3-none-any.whl", "pkg", "1.0.0", true)]
    [InlineData("pkg-1.0-1-py3-none-any.whl", "pkg", "1.1", false)]
    public void Wheel_file_names_match_the_locked_name_and_version(string file, string name, string version, bool matches)
    {
        Assert.Equal(matches, WheelFileName.TryParse(file)!.Is(name, version));
    }

    [Fact]
    public void A_wheel_ranks_by_its_best_tag()
    {
        IReadOnlyList<string> tags = Bookworm.Tags();

        int? native = WheelFileName.TryParse("x-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")!.Rank(tags);
        int? pure = WheelFileName.TryParse("x-1-py2.py3-none-any.whl")!.Rank(tags);

        Assert.True(native < pure);
        Assert.Null(WheelFileName.TryParse("x-1-cp311-cp311-win_amd64.whl")!.Rank(tags));
        Assert.Null(WheelFileName.TryParse("x-1-cp311-cp311-musllinux_1_1_x86_64.whl")!.Rank(tags));
        Assert.Null(WheelFileName.TryParse("x-1.tar.gz"));
    }
}
