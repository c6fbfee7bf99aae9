using System.Security.Cryptography;
using System.Text;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// docker contexts made by the docker CLI (in a DOCKER_CONFIG folder of the test's own, never ~/.docker) for the
/// test engine's tcp+TLS listener: made current with `docker context use`, or chosen with DOCKER_CONTEXT, with
/// DOCKER_HOST unset so that only the context says where the engine is.
/// </summary>
public sealed class DockerContextTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "pycontainer-contexts-" + Guid.NewGuid().ToString("N")[..8]);

    public DockerContextTests() => Directory.CreateDirectory(_config);

    private static string TlsHost => TestEnvironment.EngineTlsHost;

    private static string CertPath => TestEnvironment.EngineTlsCertPath;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Theory]
    [InlineData("docker context use")]
    [InlineData("DOCKER_CONTEXT")]
    public async Task Builds_and_pushes_flask_hello_through_a_tls_context(string selection)
    {
        string context = "team-" + Guid.NewGuid().ToString("N")[..6];
        await DockerCliAsync("context", "create", context, "--description", "the test engine over tcp+TLS", "--docker",
            $"host={TlsHost},ca={CertPath}/ca.pem,cert={CertPath}/cert.pem,key={CertPath}/key.pem");
        Dictionary<string, string> environment = Environment();
        if (selection == "DOCKER_CONTEXT")
        {
            environment["DOCKER_CONTEXT"] = context;
        }
        else
        {
            await DockerCliAsync("context", "use", context);
        }

        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "context-" + Guid.NewGuid().ToString("N")[..8];
        string image = $"{TestEnvironment.Registry}/samples/flask-hello:{tag}";
        try
        {
            ProcessResult result = await sample.BuildAsync("ContainerPublish", environment, "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);

            result.ShouldSucceed($"ContainerPublish through a context chosen by {selection}");
            Assert.Contains($"with the engine at {TlsHost} (from the docker context '{context}')", result.Output, StringComparison.Ordinal);
            Assert.Matches($@"Pushed {System.Text.RegularExpressions.Regex.Escape(image)} \(sha256:[0-9a-f]{{64}}\)", result.Output);
            Assert.True(await PlainRegistry.HasManifestAsync(TestEnvironment.Registry, "samples/flask-hello", tag), $"{image} is not in the registry");
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", image);
        }
    }

    [Theory]
    [InlineData("a DOCKER_CONTEXT that does not exist")]
    [InlineData("a current context whose meta is gone")]
    public async Task A_context_that_names_no_endpoint_is_PYC3030_naming_it_and_builds_nothing(string broken)
    {
        string context = "gone-" + Guid.NewGuid().ToString("N")[..6];
        Dictionary<string, string> environment = Environment();
        if (broken.StartsWith("a DOCKER_CONTEXT", StringComparison.Ordinal))
        {
            environment["DOCKER_CONTEXT"] = context;
        }
        else
        {
            await DockerCliAsync("context", "create", context, "--docker", "host=" + TlsHost);
            await DockerCliAsync("context", "use", context);
            string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(context))).ToLowerInvariant();
            Directory.Delete(Path.Combine(_config, "contexts", "meta", hash), recursive: true);
        }

        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "context-gone-" + Guid.NewGuid().ToString("N")[..8];

        ProcessResult result = await sample.BuildAsync("ContainerPublish", environment, "ContainerRegistry=" + TestEnvironment.Registry, "ContainerImageTag=" + tag);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3030"], BuildChecks.Errors(result));
        string error = BuildChecks.ErrorLine(result, "PYC3030");
        Assert.Contains($"'{context}'", error, StringComparison.Ordinal);
        Assert.Contains(broken.StartsWith("a DOCKER_CONTEXT", StringComparison.Ordinal) ? "DOCKER_CONTEXT" : "currentContext", error, StringComparison.Ordinal);
        await BuildChecks.AssertNothingPublishedAsync(result, "samples/flask-hello", tag);
    }

    /// <summary>The build's environment: this test's docker config, DOCKER_HOST unset (empty counts as unset).</summary>
    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["DOCKER_CONFIG"] = _config,
        ["DOCKER_HOST"] = "",
        ["DOCKER_TLS_VERIFY"] = "",
        ["DOCKER_CERT_PATH"] = "",
    };

    private async Task DockerCliAsync(params string[] arguments) =>
        (await ProcessRunner.RunAsync("docker", arguments, environment: Environment(), timeout: TimeSpan.FromMinutes(1)))
            .ShouldSucceed("docker " + string.Join(' ', arguments));
}
