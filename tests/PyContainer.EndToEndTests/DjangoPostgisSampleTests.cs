using System.Text.Json;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>samples/django-postgis built once with `dotnet build -t:ContainerBuild`.</summary>
public sealed class BuiltDjangoPostgisSample : IAsyncLifetime
{
    public string Tag { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..10];

    public string Image => "samples/django-postgis:" + Tag;

    public ProcessResult Build { get; private set; } = new(-1, "");

    public async Task InitializeAsync()
    {
        using var sample = SampleProject.CopyOf("django-postgis");
        Build = await sample.BuildAsync("ContainerBuild", "ContainerImageTag=" + Tag);
    }

    public async Task DisposeAsync() => await ProcessRunner.DockerAsync("image", "rm", "-f", Image);
}

/// <summary>
/// The Django + DRF + PostGIS write-up's API, served against the PostgreSQL + PostGIS that eng/test-env.sh runs on
/// 127.0.0.1:5433, each run in a database of its own.
/// </summary>
[Collection(SerialImageBuilds.Name)]
public sealed class DjangoPostgisSampleTests(BuiltDjangoPostgisSample sample) : IClassFixture<BuiltDjangoPostgisSample>
{
    [Fact]
    public async Task Container_migrates_loads_the_fixture_and_serves_cities_with_coordinates()
    {
        sample.Build.ShouldSucceed("dotnet build -t:ContainerBuild");
        await using PostgisDatabase database = await PostgisDatabase.CreateAsync("django_postgis_e2e");
        await using RunningContainer container = await RunningContainer.StartAsync(
            sample.Image, [.. database.DockerEnvironment, "-e", "PYCONTAINER_LOAD_FIXTURES=1"]);

        string list = await container.GetAsync("/api/cities/");
        string detail = await container.GetAsync("/api/cities/2/");
        string log = await container.LogAsync();

        // The generated entrypoint ran the sample's migration (a PointField table) and loaded its fixture before
        // gunicorn started.
        Assert.Contains("Applying cities.0001_initial... OK", log, StringComparison.Ordinal);
        Assert.Contains("Installed 3 object(s) from 1 fixture(s)", log, StringComparison.Ordinal);

        using JsonDocument cities = JsonDocument.Parse(list);
        Assert.Equal(
            [("London", -0.1276, 51.5072), ("Manchester", -2.2426, 53.4808), ("York", -1.0815, 53.96)],
            cities.RootElement.EnumerateArray().Select(City).ToList());

        using JsonDocument city = JsonDocument.Parse(detail);
        Assert.Equal(2, city.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(("Manchester", -2.2426, 53.4808), City(city.RootElement));
        Assert.Equal("England", city.RootElement.GetProperty("country").GetString());
        Assert.Equal(552000, city.RootElement.GetProperty("population").GetInt32());
    }

    [Fact]
    public async Task Final_image_holds_the_runtime_libraries_but_no_compiler_headers_or_wheel()
    {
        sample.Build.ShouldSucceed("dotnet build -t:ContainerBuild");
        ImageInspector image = await ImageInspector.LoadAsync(sample.Image);
        int baseLayers = await ImageInspector.LayerCountAsync(TestEnvironment.BaseImage);
        // Only the layers on top of the base image: Debian's base image ships /usr/share/python-wheels/*.whl.
        var added = image.Layers.Skip(baseLayers).SelectMany(l => l.Paths).ToList();

        Assert.NotEmpty(added);
        Assert.DoesNotContain(added, p => p.EndsWith(".whl", StringComparison.Ordinal));
        Assert.DoesNotContain(added, p => p.Contains("/.cache/pip", StringComparison.Ordinal));
        Assert.DoesNotContain(added, IsCompiler);
        // libpq-dev and python3-dev stay in the builder: no C headers for them in the runner.
        Assert.DoesNotContain(added, p => p.StartsWith("/usr/include/postgresql/", StringComparison.Ordinal));
        Assert.DoesNotContain(added, p => p.StartsWith("/usr/include/python3", StringComparison.Ordinal));
        // What GeoDjango and psycopg2 load at run time came with the runner's own packages.
        Assert.Contains(added, p => p.Contains("/libgdal.so.32", StringComparison.Ordinal));
        Assert.Contains(added, p => p.Contains("/libgeos_c.so.1", StringComparison.Ordinal));
        Assert.Contains(added, p => p.Contains("/libpq.so.5", StringComparison.Ordinal));
        Assert.Contains(added, p => p.Contains("/site-packages/psycopg2/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Psycopg2_was_compiled_from_its_source_archive_in_the_builder()
    {
        sample.Build.ShouldSucceed("dotnet build -t:ContainerBuild");

        // PyPI (and the offline index) serve psycopg2 as an sdist only: the wheel installed in the runner is the one
        // setuptools built in the builder with gcc and libpq-dev, for this interpreter and platform.
        ProcessResult wheel = await ProcessRunner.DockerAsync(
            "run", "--rm", "--network", "none", "--entrypoint", "python3", sample.Image,
            "-c", "from importlib.metadata import distribution; print(distribution('psycopg2').read_text('WHEEL'))");
        wheel.ShouldSucceed("reading psycopg2's WHEEL file in the image");
        Assert.Matches(@"Generator: bdist_wheel \(", wheel.Output);
        Assert.Matches(@"Tag: cp3\d+-cp3\d+-linux_", wheel.Output);
    }

    private static (string Name, double Longitude, double Latitude) City(JsonElement city) =>
        (city.GetProperty("name").GetString()!, city.GetProperty("longitude").GetDouble(), city.GetProperty("latitude").GetDouble());

    private static bool IsCompiler(string path)
    {
        string name = path[(path.LastIndexOf('/') + 1)..];
        return path.StartsWith("/usr/bin/", StringComparison.Ordinal) && (name is "gcc" or "cc" or "g++" or "c++" || name.EndsWith("-gcc", StringComparison.Ordinal) || name.Contains("-gcc-", StringComparison.Ordinal))
            || name is "cc1" or "cc1plus";
    }
}
