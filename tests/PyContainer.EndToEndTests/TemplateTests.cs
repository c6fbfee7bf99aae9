using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// The packed PyContainer.Templates installed into a template hive of its own, so neither the machine's
/// installed templates nor an older install of ours take part.
/// </summary>
public sealed class InstalledTemplates : IAsyncLifetime
{
    public string Hive { get; } = Path.Combine(Path.GetTempPath(), "pycontainer-e2e", "template-hive-" + Guid.NewGuid().ToString("N")[..8]);

    public static string TemplatePackage => Path.Combine(TestEnvironment.PackagesFeed, $"PyContainer.Templates.{TestEnvironment.SdkVersion}.nupkg");

    public static IDictionary<string, string> DotnetEnvironment() => new Dictionary<string, string>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public async Task InitializeAsync()
    {
        if (!File.Exists(TemplatePackage))
        {
            throw new InvalidOperationException($"{TemplatePackage} is missing: run eng/test.sh, or `dotnet pack sdk/PyContainer.Templates -c Release`.");
        }

        ProcessResult install = await ProcessRunner.RunAsync("dotnet", ["new", "install", TemplatePackage, "--debug:custom-hive", Hive], environment: DotnetEnvironment());
        install.ShouldSucceed("dotnet new install " + TemplatePackage);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Hive, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return Task.CompletedTask;
    }
}

public sealed class TemplateTests(InstalledTemplates templates) : IClassFixture<InstalledTemplates>
{
    // Not a Python identifier on purpose: the file name, the repository and the greeting must all follow -n as given.
    private const string ServiceName = "Orders-Api";

    [Theory]
    [InlineData("pycontainer-flask", "Flask")]
    [InlineData("pycontainer-django", "Django")]
    [InlineData("pycontainer-fastapi", "FastAPI")]
    public async Task Generated_project_builds_an_image_that_answers_HTTP(string template, string framework)
    {
        string directory = Path.Combine(Path.GetTempPath(), "pycontainer-e2e", template + "-" + Guid.NewGuid().ToString("N")[..8]);
        string tag = "e2e-" + Guid.NewGuid().ToString("N")[..10];
        string image = $"{ServiceName.ToLowerInvariant()}:{tag}";
        try
        {
            ProcessResult generate = await ProcessRunner.RunAsync(
                "dotnet",
                ["new", template, "-n", ServiceName, "-o", directory, "--debug:custom-hive", templates.Hive],
                environment: InstalledTemplates.DotnetEnvironment());
            generate.ShouldSucceed("dotnet new " + template);

            string projectFile = Path.Combine(directory, ServiceName + ".msbuildproj");
            Assert.True(File.Exists(projectFile), $"dotnet new {template} -n {ServiceName} made no {projectFile}:\n{generate.Output}");
            Assert.Contains($"Sdk=\"PyContainer.Sdk/{TestEnvironment.SdkVersion}\"", File.ReadAllText(projectFile), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory, "requirements.txt")));
            Assert.True(File.Exists(Path.Combine(directory, "README.md")));
            using var project = SampleProject.At(directory, projectFile);

            ProcessResult build = await project.BuildAsync("ContainerBuild", "ContainerImageTag=" + tag);
            build.ShouldSucceed($"dotnet build -t:ContainerBuild of the {template} project");
            Assert.Contains("Tagged " + image, build.Output, StringComparison.Ordinal);

            await using RunningContainer container = await RunningContainer.StartAsync(image);
            string body = await container.GetAsync("/");
            string health = await container.GetAsync("/healthz");

            Assert.Contains($"Hello from {ServiceName} ({framework})!", body, StringComparison.Ordinal);
            Assert.Contains("\"ok\"", health, StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }
}
