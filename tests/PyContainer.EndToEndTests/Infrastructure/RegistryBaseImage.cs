using System.Text;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// The test base image in the plain registry: PYCONTAINER_REGISTRY_BASE_IMAGE when eng/test-env.sh exported it,
/// else copied there by skopeo from the engine once (skopeo skips blobs the registry has).
/// </summary>
public sealed class RegistryBaseImage : IAsyncLifetime
{
    public string Reference { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string? exported = Environment.GetEnvironmentVariable("PYCONTAINER_REGISTRY_BASE_IMAGE");
        Reference = exported is { Length: > 0 } ? exported : $"{TestEnvironment.Registry}/{TestEnvironment.BaseImage}";
        if ((await Skopeo.RunAsync("inspect", "--tls-verify=false", "--raw", "docker://" + Reference)).ExitCode != 0)
        {
            (await Skopeo.RunAsync("copy", "--dest-tls-verify=false", "docker-daemon:" + TestEnvironment.BaseImage, "docker://" + Reference))
                .ShouldSucceed("skopeo copy of the base image to the plain registry");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>skopeo, the independent reader of what a registry holds; credentials go in an auth file, never in arguments.</summary>
public static class Skopeo
{
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("skopeo", arguments, timeout: TimeSpan.FromMinutes(5));

    /// <summary>Runs skopeo with an auth file holding <paramref name="user"/>'s password for <paramref name="registry"/>.</summary>
    public static async Task<ProcessResult> RunWithCredentialsAsync(string registry, string user, string password, params string[] arguments)
    {
        string authFile = Path.Combine(Path.GetTempPath(), "pycontainer-skopeo-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        await File.WriteAllTextAsync(authFile, $$"""{ "auths": { "{{registry}}": { "auth": "{{auth}}" } } }""");
        try
        {
            return await RunAsync([arguments[0], "--authfile", authFile, .. arguments[1..]]);
        }
        finally
        {
            File.Delete(authFile);
        }
    }
}
