using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>A requirement whose marker ';' is escaped as %3B reaches the real pip as one requirement with its marker.</summary>
public sealed class RequirementMarkerTests
{
    [Fact]
    public async Task Inline_requirement_with_an_escaped_marker_is_read_by_pip_with_its_marker()
    {
        string tag = "e2e-marker-" + Guid.NewGuid().ToString("N")[..8];
        using var sample = SampleProject.CopyOf("flask-hello");
        // No index has this package: the build only succeeds if pip sees the (false) marker and skips it.
        string project = File.ReadAllText(sample.ProjectFile).Replace(
            "</Project>",
            "  <ItemGroup>\n    <PythonRequirement Include=\"no-such-package-pycontainer-test%3B python_version &lt; '3'\" />\n  </ItemGroup>\n</Project>",
            StringComparison.Ordinal);
        File.WriteAllText(sample.ProjectFile, project);
        try
        {
            ProcessResult result = await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag);

            result.ShouldSucceed("dotnet build -t:ContainerBuild with an escaped marker");
            string requirements = string.Join("\n", Directory.GetFiles(Path.Combine(sample.Directory, "obj"), "*.txt", SearchOption.AllDirectories).Select(File.ReadAllText));
            Assert.Contains("no-such-package-pycontainer-test; python_version < '3'", requirements, StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", "samples/flask-hello:" + tag);
        }
    }
}
