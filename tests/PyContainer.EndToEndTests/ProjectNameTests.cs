using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// A project as a user names it, `Flaskr Blog.msbuildproj` (a space and capitals), with no ContainerRepository:
/// it builds and pushes under the name derived from the project name, and leaves no empty folder behind.
/// </summary>
public sealed class ProjectNameTests
{
    [Fact]
    public async Task Project_named_with_a_space_and_capitals_builds_and_pushes_with_a_derived_repository()
    {
        string tag = "e2e-" + Guid.NewGuid().ToString("N")[..10];
        string image = $"{TestEnvironment.Registry}/flaskr-blog:{tag}";
        using var copy = SampleProject.CopyOf("flask-hello");
        using SampleProject project = RenamedWithoutRepository(copy, "Flaskr Blog.msbuildproj");
        try
        {
            ProcessResult result = await project.BuildAsync("ContainerPublish", "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);

            result.ShouldSucceed("dotnet build -t:ContainerPublish of 'Flaskr Blog.msbuildproj'");
            Assert.Contains("PYC2009", result.Output, StringComparison.Ordinal);
            Assert.Contains("the image is named 'flaskr-blog', derived from the project name 'Flaskr Blog'", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("warning PYC2009", result.Output, StringComparison.Ordinal);
            Assert.Contains($"Tagged {image}", result.Output, StringComparison.Ordinal);
            Assert.True(await PlainRegistry.HasManifestAsync(TestEnvironment.Registry, "flaskr-blog", tag), $"{image} is not in the registry");
            AssertNoEmptyFolderOutsideObj(project.Directory);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Fact]
    public async Task A_build_leaves_no_bin_folder_and_no_empty_folder_in_the_project()
    {
        using var sample = SampleProject.CopyOf("flask-hello");

        // A plain build needs no engine: it generates the Dockerfile only.
        ProcessResult result = await sample.BuildAsync("Build");

        result.ShouldSucceed("dotnet build");
        Assert.False(Directory.Exists(Path.Combine(sample.Directory, "bin")), "the build created bin/ in the Python project");
        Assert.True(File.Exists(Path.Combine(sample.Directory, "obj", "container", "Dockerfile")) || Directory.GetFiles(Path.Combine(sample.Directory, "obj"), "Dockerfile", SearchOption.AllDirectories).Length > 0);
        AssertNoEmptyFolderOutsideObj(sample.Directory);
    }

    /// <summary>The project file renamed, without the sample's ContainerRepository, so the name is derived.</summary>
    private static SampleProject RenamedWithoutRepository(SampleProject sample, string fileName)
    {
        string content = File.ReadAllText(sample.ProjectFile);
        string withoutRepository = System.Text.RegularExpressions.Regex.Replace(content, @"\s*<ContainerRepository>[^<]*</ContainerRepository>", "");
        Assert.NotEqual(content, withoutRepository);
        File.Delete(sample.ProjectFile);
        string renamed = Path.Combine(sample.Directory, fileName);
        File.WriteAllText(renamed, withoutRepository);
        return SampleProject.At(sample.Directory, renamed);
    }

    /// <summary>obj/ is the build's own folder; everywhere else, every folder holds something.</summary>
    private static void AssertNoEmptyFolderOutsideObj(string directory)
    {
        var empty = Directory.GetDirectories(directory, "*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(directory, d))
            .Where(d => d != "obj" && !d.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(d => Directory.GetFileSystemEntries(Path.Combine(directory, d)).Length == 0)
            .ToList();
        Assert.True(empty.Count == 0, "Empty folders left in the project: " + string.Join(", ", empty));
    }
}
