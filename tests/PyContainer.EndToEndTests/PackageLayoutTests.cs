using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>The packed SDK, as eng/test.sh packed it: what users restore from a feed.</summary>
public sealed class PackageLayoutTests
{
    private static string PackagePath => Path.Combine(TestEnvironment.PackagesFeed, $"PyContainer.Sdk.{TestEnvironment.SdkVersion}.nupkg");

    [Fact]
    public void Package_holds_the_sdk_entry_points()
    {
        using ZipArchive package = ZipFile.OpenRead(PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToList();

        Assert.Contains("Sdk/Sdk.props", entries);
        Assert.Contains("Sdk/Sdk.targets", entries);
        Assert.Contains("build/PyContainer.Sdk.props", entries);
        Assert.Contains("build/PyContainer.Sdk.targets", entries);
    }

    /// <summary>tools/net8.0 for .NET MSBuild (`dotnet build`): the task assembly, the core and their dependencies.</summary>
    [Fact]
    public void Net8_folder_holds_the_task_assembly_with_its_dependencies()
    {
        var entries = Entries("tools/net8.0/");

        Assert.Contains("PyContainer.Tasks.dll", entries);
        Assert.Contains("PyContainer.Core.dll", entries);
        Assert.Contains("Docker.DotNet.dll", entries);
    }

    /// <summary>
    /// tools/net472 for .NET Framework MSBuild (Visual Studio): the task assembly and nothing else, so no
    /// third-party assembly (System.Text.Json, System.Memory...) can clash with the ones Visual Studio loads.
    /// </summary>
    [Fact]
    public void Net472_folder_holds_the_task_assembly_alone()
    {
        Assert.Equal(["PyContainer.Tasks.dll"], Entries("tools/net472/"));
    }

    /// <summary>tools/cli: the app the net472 tasks run on .NET, a whole app with its runtime configuration.</summary>
    [Fact]
    public void Cli_folder_holds_the_cli_with_the_core_and_the_tasks()
    {
        var entries = Entries("tools/cli/");

        Assert.Contains("PyContainer.Cli.dll", entries);
        Assert.Contains("PyContainer.Cli.runtimeconfig.json", entries);
        Assert.Contains("PyContainer.Cli.deps.json", entries);
        Assert.Contains("PyContainer.Tasks.dll", entries);
        Assert.Contains("PyContainer.Core.dll", entries);
        Assert.Contains("Docker.DotNet.dll", entries);
    }

    /// <summary>
    /// No MSBuild loads MSBuild's own assemblies from us. Only tools/cli carries Framework and Utilities.Core:
    /// no MSBuild loads it, it runs on its own, and the tasks derive from them.
    /// </summary>
    [Theory]
    [InlineData("tools/net8.0/")]
    [InlineData("tools/net472/")]
    [InlineData("")]
    public void Package_never_ships_MSBuild_assemblies_to_an_MSBuild(string folder)
    {
        using ZipArchive package = ZipFile.OpenRead(PackagePath);

        Assert.Contains(package.Entries, e => e.FullName.StartsWith(folder, StringComparison.Ordinal));
        Assert.DoesNotContain(
            package.Entries,
            e => e.FullName.StartsWith(folder, StringComparison.Ordinal) && !e.FullName.StartsWith("tools/cli/", StringComparison.Ordinal)
                && e.Name.StartsWith("Microsoft.Build", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(
            ["Microsoft.Build.Framework.dll", "Microsoft.Build.Utilities.Core.dll"],
            Entries("tools/cli/").Where(e => e.StartsWith("Microsoft.Build", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal));
    }

    /// <summary>The file names directly in a folder of the package.</summary>
    private static List<string> Entries(string folder)
    {
        using ZipArchive package = ZipFile.OpenRead(PackagePath);
        return package.Entries
            .Where(e => e.FullName.StartsWith(folder, StringComparison.Ordinal) && !e.FullName[folder.Length..].Contains('/', StringComparison.Ordinal))
            .Select(e => e.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Each folder's assembly targets the runtime that loads it (read from metadata, never loaded).</summary>
    [Theory]
    [InlineData("tools/net472/PyContainer.Tasks.dll", ".NETFramework,Version=v4.7.2")]
    [InlineData("tools/net8.0/PyContainer.Tasks.dll", ".NETCoreApp,Version=v8.0")]
    [InlineData("tools/net8.0/PyContainer.Core.dll", ".NETCoreApp,Version=v8.0")]
    [InlineData("tools/cli/PyContainer.Cli.dll", ".NETCoreApp,Version=v8.0")]
    public void Task_assembly_targets_the_framework_of_its_folder(string path, string targetFramework)
    {
        using ZipArchive package = ZipFile.OpenRead(PackagePath);
        using var assembly = new MemoryStream();
        using (Stream entry = package.GetEntry(path)!.Open())
        {
            entry.CopyTo(assembly);
        }

        assembly.Position = 0;
        using var pe = new PEReader(assembly);

        Assert.Equal(targetFramework, TargetFrameworkOf(pe.GetMetadataReader()));
    }

    /// <summary>The value of the assembly's [TargetFramework("...")] attribute.</summary>
    private static string? TargetFrameworkOf(MetadataReader metadata)
    {
        foreach (CustomAttributeHandle handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            EntityHandle type = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
            if (type.Kind == HandleKind.TypeReference
                && metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)type).Name) == "TargetFrameworkAttribute")
            {
                BlobReader value = metadata.GetBlobReader(attribute.Value);
                value.ReadUInt16(); // The prolog, 0x0001.
                return value.ReadSerializedString();
            }
        }

        return null;
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
