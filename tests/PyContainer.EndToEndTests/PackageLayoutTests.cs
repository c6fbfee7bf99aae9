using System.IO.Compression;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>The packed SDK, as eng/test.sh packed it: what users restore from a feed.</summary>
public sealed class PackageLayoutTests
{
    private static string PackagePath => Path.Combine(TestEnvironment.PackagesFeed, $"PyContainer.Sdk.{TestEnvironment.SdkVersion}.nupkg");

    [Fact]
    public void Package_holds_the_sdk_entry_points_and_the_task_assembly_with_its_dependencies()
    {
        using ZipArchive package = ZipFile.OpenRead(PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToList();

        Assert.Contains("Sdk/Sdk.props", entries);
        Assert.Contains("Sdk/Sdk.targets", entries);
        Assert.Contains("build/PyContainer.Sdk.props", entries);
        Assert.Contains("build/PyContainer.Sdk.targets", entries);
        Assert.Contains("tools/net8.0/PyContainer.Tasks.dll", entries);
        Assert.Contains("tools/net8.0/PyContainer.Core.dll", entries);
        Assert.Contains("tools/net8.0/Docker.DotNet.dll", entries);
    }

    [Fact]
    public void Package_never_ships_MSBuild_assemblies()
    {
        using ZipArchive package = ZipFile.OpenRead(PackagePath);

        Assert.DoesNotContain(package.Entries, e => e.Name.StartsWith("Microsoft.Build", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Package_is_an_MSBuild_sdk()
    {
        using ZipArchive package = ZipFile.OpenRead(PackagePath);
        ZipArchiveEntry nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var reader = new StreamReader(nuspec.Open());

        Assert.Contains("<packageType name=\"MSBuildSdk\" />", reader.ReadToEnd(), StringComparison.Ordinal);
    }
}
