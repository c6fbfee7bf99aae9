namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// A fresh database on the PostgreSQL + PostGIS server eng/test-env.sh starts on 127.0.0.1:5433, cloned from its
/// PostGIS template: every run starts empty (migrations really apply) and runs side by side never share tables.
/// Dropped on dispose.
/// </summary>
public sealed class PostgisDatabase : IAsyncDisposable
{
    private PostgisDatabase(string name, string environmentFile)
    {
        Name = name;
        EnvironmentFile = environmentFile;
    }

    public static string Host => Required("PYCONTAINER_POSTGRES_HOST");

    public static string Port => Required("PYCONTAINER_POSTGRES_PORT");

    public static string User => Required("PYCONTAINER_POSTGRES_USER");

    public static string Password => Required("PYCONTAINER_POSTGRES_PASSWORD");

    /// <summary>The database the test role owns; only connected to, to create and drop the fresh ones.</summary>
    public static string MaintenanceDatabase => Required("PYCONTAINER_POSTGRES_DB");

    /// <summary>PostGIS already created in it by a superuser: the test role cannot create that extension itself.</summary>
    public static string Template => Required("PYCONTAINER_POSTGRES_TEMPLATE");

    public string Name { get; }

    /// <summary>
    /// The POSTGRES_* settings of a container that uses this database, as `docker run` arguments: an env file
    /// readable by its owner only, so the password is never on a command line (visible in ps).
    /// </summary>
    public string[] DockerEnvironment => ["--env-file", EnvironmentFile];

    private string EnvironmentFile { get; }

    public static async Task<PostgisDatabase> CreateAsync(string prefix)
    {
        string name = prefix + "_" + Guid.NewGuid().ToString("N")[..10];
        (await PsqlAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{Template}\"")).ShouldSucceed("CREATE DATABASE " + name);
        string environmentFile = Path.Combine(Path.GetTempPath(), name + ".env");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(environmentFile, options))
        {
            await writer.WriteAsync($"POSTGRES_HOST={Host}\nPOSTGRES_PORT={Port}\nPOSTGRES_DB={name}\nPOSTGRES_USER={User}\nPOSTGRES_PASSWORD={Password}\n");
        }

        return new PostgisDatabase(name, environmentFile);
    }

    public async ValueTask DisposeAsync()
    {
        File.Delete(EnvironmentFile);
        // FORCE: a container that outlived its test must not keep the database alive.
        await PsqlAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    /// <summary>psql as the test role; the password goes through the environment, never the command line.</summary>
    private static Task<ProcessResult> PsqlAsync(string sql) =>
        ProcessRunner.RunAsync(
            "psql",
            ["-X", "-v", "ON_ERROR_STOP=1", "-h", Host, "-p", Port, "-U", User, "-d", MaintenanceDatabase, "-c", sql],
            environment: new Dictionary<string, string> { ["PGPASSWORD"] = Password, ["PGCONNECT_TIMEOUT"] = "10" },
            timeout: TimeSpan.FromMinutes(1));

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run eng/test-env.sh and source artifacts/test-env/env.sh.");
}
