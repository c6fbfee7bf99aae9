using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>`dotnet build -t:ContainerCompose`: a docker-compose.yml for Python services and what they need.</summary>
public sealed class ComposeTests
{
    [Fact]
    public async Task The_Django_sample_s_compose_file_is_what_ContainerCompose_generates()
    {
        using var sample = SampleProject.CopyOf("django-postgis");
        string committed = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "samples", "django-postgis", "docker-compose.yml"));

        (await sample.BuildAsIsAsync("ContainerCompose")).ShouldSucceed("dotnet build -t:ContainerCompose");

        Assert.Equal(committed, File.ReadAllText(Path.Combine(sample.Directory, "docker-compose.yml")));
    }

    [Fact]
    public async Task Referenced_Python_services_join_the_compose_file_and_CSharp_projects_do_not()
    {
        using var sample = SampleProject.CopyOf("polyglot");
        string django = Path.Combine(sample.Directory, "django-service", "django-service.msbuildproj");
        File.WriteAllText(django, File.ReadAllText(django).Replace("</Project>", """
              <ItemGroup>
                <ProjectReference Include="../flask-service/flask-service.msbuildproj" />
                <ProjectReference Include="../WebApi/WebApi.csproj" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));

        ProcessResult result = await sample.BuildAsIsAsync("ContainerCompose", "ContainerRegistry=localhost:5000");
        result.ShouldSucceed("dotnet build -t:ContainerCompose");

        string compose = File.ReadAllText(Path.Combine(sample.Directory, "django-service", "docker-compose.yml"));
        Assert.Contains("  django-service:\n    image: \"localhost:5000/polyglot/django-service:latest\"", compose, StringComparison.Ordinal);
        Assert.Contains("  flask-service:\n    image: \"localhost:5000/polyglot/flask-service:latest\"", compose, StringComparison.Ordinal);
        Assert.Contains("\"8000:8000\"", compose, StringComparison.Ordinal);
        Assert.Contains("\"8001:8001\"", compose, StringComparison.Ordinal);
        Assert.DoesNotContain("webapi", compose, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Volume_writable_folders_become_named_volumes_of_the_service()
    {
        using var app = SampleProject.CopyOfTestApp("flaskr");

        (await app.BuildAsIsAsync("ContainerCompose")).ShouldSucceed("dotnet build -t:ContainerCompose");

        string compose = File.ReadAllText(Path.Combine(app.Directory, "docker-compose.yml"));
        Assert.Contains("    volumes:\n      - \"flaskr-app-instance:/app/instance\"\n", compose, StringComparison.Ordinal);
        Assert.EndsWith("volumes:\n  \"flaskr-app-instance\": {}\n", compose, StringComparison.Ordinal);
    }
}
