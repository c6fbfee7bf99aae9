using System.Text;
using System.Text.RegularExpressions;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// ContainerPublish to the htpasswd + TLS registry with credentials from each source, and with wrong ones.
/// Every build writes a diagnostic (-v:diag) log, which must never hold a password.
/// </summary>
public sealed partial class RegistryAuthTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "pycontainer-auth-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _repository = "auth-tests/flask-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _tag = "auth-" + Guid.NewGuid().ToString("N")[..8];

    public RegistryAuthTests() => Directory.CreateDirectory(DockerConfig);

    /// <summary>A docker config folder of the test's own: the developer's ~/.docker never takes part.</summary>
    private string DockerConfig => Path.Combine(_scratch, "docker");

    private string Image => $"{AuthRegistry.Host}/{_repository}:{_tag}";

    public void Dispose()
    {
        ProcessRunner.DockerAsync("image", "rm", "-f", Image).GetAwaiter().GetResult();
        Directory.Delete(_scratch, recursive: true);
    }


    [Fact]
    public async Task Publish_succeeds_with_credentials_from_the_environment()
    {
        (ProcessResult result, string diagnostic) = await PublishAsync(new()
        {
            ["DOTNET_CONTAINER_REGISTRY_UNAME"] = AuthRegistry.User,
            ["DOTNET_CONTAINER_REGISTRY_PWORD"] = AuthRegistry.Password,
        });

        result.ShouldSucceed("ContainerPublish with credentials from DOTNET_CONTAINER_REGISTRY_UNAME/_PWORD");
        Assert.Contains("credentials: DOTNET_CONTAINER_REGISTRY_UNAME/_PWORD", result.Output, StringComparison.Ordinal);
        await AssertPushedAsync(result, diagnostic);
    }

    [Fact]
    public async Task Publish_succeeds_with_credentials_from_config_json_auths()
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AuthRegistry.User}:{AuthRegistry.Password}"));
        File.WriteAllText(Path.Combine(DockerConfig, "config.json"), $$"""{ "auths": { "{{AuthRegistry.Host}}": { "auth": "{{auth}}" } } }""");

        (ProcessResult result, string diagnostic) = await PublishAsync([]);

        result.ShouldSucceed("ContainerPublish with credentials from config.json auths");
        Assert.Contains("config.json auths", result.Output, StringComparison.Ordinal);
        await AssertPushedAsync(result, diagnostic);
    }

    [Fact]
    public async Task A_daemonless_publish_with_no_engine_uses_the_same_credentials_and_copies_the_base_layers_across_registries()
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AuthRegistry.User}:{AuthRegistry.Password}"));
        File.WriteAllText(Path.Combine(DockerConfig, "config.json"), $$"""{ "auths": { "{{AuthRegistry.Host}}": { "auth": "{{auth}}" } } }""");

        // The base image is on the plain registry, the target the TLS one: its layers cannot be mounted, so they are copied.
        (ProcessResult result, string diagnostic) = await PublishAsync(
            new() { ["DOCKER_HOST"] = "unix:///tmp/pycontainer-no-engine.sock" },
            "ContainerBuildMode=Daemonless",
            "ContainerBaseImage=" + TestEnvironment.RegistryBaseImage);

        result.ShouldSucceed("daemonless ContainerPublish to the TLS registry with credentials from config.json auths");
        Assert.Contains("config.json auths", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"blobs uploaded, 0 mounted", result.Output);
        await AssertPushedAsync(result, diagnostic);
    }

    [Fact]
    public async Task Publish_succeeds_with_credentials_from_a_credential_helper()
    {
        string bin = Path.Combine(_scratch, "bin");
        Directory.CreateDirectory(bin);
        string helper = Path.Combine(bin, "docker-credential-pycontainertest");
        // Answers for the auth registry only, as `docker-credential-* get` does: the server arrives on stdin.
        File.WriteAllText(helper, $$"""
            #!/bin/sh
            server=$(cat)
            if [ "$1" = get ] && [ "$server" = "{{AuthRegistry.Host}}" ]; then
              printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$server" '{{AuthRegistry.User}}' '{{AuthRegistry.Password}}'
            else
              echo "credentials not found in native keychain"
              exit 1
            fi
            """.ReplaceLineEndings("\n"));
        (await ProcessRunner.RunAsync("chmod", ["700", helper])).ShouldSucceed("chmod the credential helper");
        File.WriteAllText(Path.Combine(DockerConfig, "config.json"), $$"""{ "credHelpers": { "{{AuthRegistry.Host}}": "pycontainertest" } }""");

        (ProcessResult result, string diagnostic) = await PublishAsync(new()
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        });

        result.ShouldSucceed("ContainerPublish with credentials from docker-credential-pycontainertest");
        Assert.Contains("credentials: docker-credential-pycontainertest (credHelpers)", result.Output, StringComparison.Ordinal);
        await AssertPushedAsync(result, diagnostic);
    }

    [Fact]
    public async Task Wrong_credentials_fail_with_PYC4001_and_push_nothing()
    {
        string wrongPassword = "wrong-" + Guid.NewGuid().ToString("N");
        (ProcessResult result, string diagnostic) = await PublishAsync(new()
        {
            ["DOTNET_CONTAINER_REGISTRY_UNAME"] = AuthRegistry.User,
            ["DOTNET_CONTAINER_REGISTRY_PWORD"] = wrongPassword,
        });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC4001"], BuildChecks.Errors(result));
        string error = result.Output.Split('\n').First(l => l.Contains("error PYC4001", StringComparison.Ordinal));
        Assert.Contains("DOTNET_CONTAINER_REGISTRY_UNAME", error, StringComparison.Ordinal);
        Assert.Contains("docker login", error, StringComparison.Ordinal);
        // A refusal is final: no retry.
        Assert.DoesNotContain("retrying", result.Output, StringComparison.Ordinal);
        Assert.Empty(await AuthRegistry.TagsAsync(_repository));
        AssertNoSecret(result.Output + diagnostic, wrongPassword);
        AssertNoSecret(result.Output + diagnostic, AuthRegistry.Password);
    }

    /// <summary>The exact file of docs/bad-input.md: a trailing comma, as a hand edit leaves it.</summary>
    private const string MalformedConfig = """
        {
          "auths": {
            "localhost:5000": { "auth": "dXNlcjpwYXNz" },
          }
        }
        """;

    [Fact]
    public async Task A_malformed_docker_config_json_fails_with_PYC3009_naming_the_file_and_pushes_nothing()
    {
        string config = Path.Combine(DockerConfig, "config.json");
        File.WriteAllText(config, MalformedConfig);

        (ProcessResult result, _) = await PublishAsync([]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3009"], BuildChecks.Errors(result));
        string error = result.Output.Split('\n').First(l => l.Contains("error PYC3009", StringComparison.Ordinal));
        Assert.Contains(config, error, StringComparison.Ordinal);
        Assert.Contains("DOCKER_CONFIG", error, StringComparison.Ordinal);
        Assert.DoesNotContain("MSB4018", result.Output, StringComparison.Ordinal);
        Assert.Empty(await AuthRegistry.TagsAsync(_repository));
    }

    [Fact]
    public async Task An_unreachable_registry_fails_with_PYC4003_without_retrying()
    {
        using var sample = SampleProject.CopyOf("flask-hello");

        ProcessResult result = await sample.BuildAsync(
            "ContainerPublish", new Dictionary<string, string> { ["DOCKER_CONFIG"] = DockerConfig }, "ContainerRegistry=localhost:5999", "ContainerRepository=" + _repository, "ContainerImageTag=" + _tag);

        try
        {
            Assert.NotEqual(0, result.ExitCode);
            Assert.Equal(["PYC4003"], BuildChecks.Errors(result));
            Assert.DoesNotContain("retrying", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", $"localhost:5999/{_repository}:{_tag}");
        }
    }

    private async Task<(ProcessResult Result, string DiagnosticLog)> PublishAsync(Dictionary<string, string> environment, params string[] properties)
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string diagnosticLog = Path.Combine(_scratch, "diag-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        // MSBuild reads Directory.Build.rsp next to the project: a diagnostic file log besides the console.
        File.WriteAllText(Path.Combine(sample.Directory, "Directory.Build.rsp"), $"-flp:logfile={diagnosticLog};verbosity=diagnostic\n");
        environment["DOCKER_CONFIG"] = DockerConfig;
        ProcessResult result = await sample.BuildAsync(
            "ContainerPublish", environment, ["ContainerRegistry=" + AuthRegistry.Host, "ContainerRepository=" + _repository, "ContainerImageTag=" + _tag, .. properties]);
        string diagnostic = File.ReadAllText(diagnosticLog);
        Assert.Contains("Environment at start of build", diagnostic, StringComparison.Ordinal);
        return (result, diagnostic);
    }

    private async Task AssertPushedAsync(ProcessResult result, string diagnostic)
    {
        Assert.Matches($@"Pushed {Regex.Escape(Image)} \(sha256:[0-9a-f]{{64}}\)", result.Output);
        // The other tag is the referrers tag (sha256-<hex>) that holds the image's SBOM on a registry without the referrers API.
        Assert.Equal([_tag], (await AuthRegistry.TagsAsync(_repository)).Where(t => !t.StartsWith("sha256-", StringComparison.Ordinal)));
        AssertNoSecret(result.Output + diagnostic, AuthRegistry.Password);
    }

    /// <summary>
    /// MSBuild itself lists every DOTNET_* environment variable at diagnostic verbosity ("Environment at start of
    /// build", "Initial Properties"), the .NET SDK's DOTNET_CONTAINER_REGISTRY_PWORD included, whoever reads it.
    /// That echo is MSBuild's, not PyContainer's, and is the only line allowed to hold the variable's value.
    /// </summary>
    private static bool IsMSBuildEnvironmentEcho(string line) =>
        MSBuildEnvironmentEcho().IsMatch(line);

    [GeneratedRegex(@"^\s*DOTNET_CONTAINER(_PUSH)?_REGISTRY_PWORD = ")]
    private static partial Regex MSBuildEnvironmentEcho();

    private static void AssertNoSecret(string log, string secret)
    {
        string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AuthRegistry.User}:{secret}"));
        // The failure shows where the secret appeared, masked, so the report itself does not leak it.
        var leaks = log.Split('\n')
            .Where(line => !IsMSBuildEnvironmentEcho(line))
            .Where(line => line.Contains(secret, StringComparison.Ordinal) || line.Contains(encoded, StringComparison.Ordinal))
            .Select(line => line.Replace(secret, "***", StringComparison.Ordinal).Replace(encoded, "***", StringComparison.Ordinal).Trim())
            .ToList();
        Assert.True(leaks.Count == 0, "A password appears in the build's output or diagnostic log:\n" + string.Join("\n", leaks.Take(10)));
    }
}
