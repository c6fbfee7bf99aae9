using System.Text.Json;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>The htpasswd + TLS registry eng/test-env.sh starts on localhost:5001, and what it holds.</summary>
public static class AuthRegistry
{
    public static string Host => Required("PYCONTAINER_AUTH_REGISTRY");

    public static string User => Required("PYCONTAINER_AUTH_REGISTRY_USER");

    public static string Password => Required("PYCONTAINER_AUTH_REGISTRY_PASSWORD");

    public static string CertificateAuthority => Required("PYCONTAINER_AUTH_REGISTRY_CA");

    /// <summary>The tags the registry holds for <paramref name="repository"/>; empty when it has no such repository.</summary>
    public static async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        // The credentials go through a curl config on stdin, never on the command line.
        string config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, $"user = \"{User}:{Password}\"\n");
            ProcessResult result = await ProcessRunner.RunAsync(
                "curl",
                ["-s", "--cacert", CertificateAuthority, "-K", config, $"https://{Host}/v2/{repository}/tags/list"],
                timeout: TimeSpan.FromSeconds(30));
            result.ShouldSucceed("curl tags/list");
            using JsonDocument answer = JsonDocument.Parse(result.Output);
            return answer.RootElement.TryGetProperty("tags", out JsonElement tags) && tags.ValueKind == JsonValueKind.Array
                ? tags.EnumerateArray().Select(t => t.GetString()!).ToList()
                : [];
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run eng/test-env.sh and source artifacts/test-env/env.sh.");
}
