using System.Text.RegularExpressions;
using PyContainer.EndToEndTests.Infrastructure;

namespace PyContainer.EndToEndTests;

/// <summary>
/// The engine reached over tcp+TLS with a client certificate (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH),
/// the listener eng/test-env.sh adds on 127.0.0.1:2376.
/// </summary>
public sealed partial class EngineTlsTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "pycontainer-tls-" + Guid.NewGuid().ToString("N")[..8]);

    public EngineTlsTests() => Directory.CreateDirectory(_scratch);

    private static string TlsHost => TestEnvironment.EngineTlsHost;

    private static string CertPath => TestEnvironment.EngineTlsCertPath;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);


    [Fact]
    public async Task Builds_through_the_engine_over_tcp_with_a_client_certificate()
    {
        using var sample = SampleProject.CopyOf("flask-hello");
        string tag = "tls-" + Guid.NewGuid().ToString("N")[..8];

        ProcessResult result = await sample.BuildAsync("ContainerBuild", Tls(CertPath), "ContainerImageTag=" + tag);

        try
        {
            result.ShouldSucceed("ContainerBuild over tcp+TLS");
            Assert.Contains("with the engine at " + TlsHost, result.Output, StringComparison.Ordinal);
            (await ProcessRunner.DockerAsync("image", "inspect", "samples/flask-hello:" + tag)).ShouldSucceed("docker image inspect");
        }
        finally
        {
            await ProcessRunner.DockerAsync("image", "rm", "-f", "samples/flask-hello:" + tag);
        }
    }

    [Fact]
    public async Task A_client_certificate_the_engine_does_not_trust_fails_with_PYC3001()
    {
        // Same CA file for the engine's certificate, but a self-signed client certificate the engine rejects.
        string wrong = Path.Combine(_scratch, "wrong-client");
        Directory.CreateDirectory(wrong);
        File.Copy(Path.Combine(CertPath, "ca.pem"), Path.Combine(wrong, "ca.pem"));
        (await ProcessRunner.RunAsync(
            "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=intruder",
             "-keyout", Path.Combine(wrong, "key.pem"), "-out", Path.Combine(wrong, "cert.pem")],
            timeout: TimeSpan.FromMinutes(1))).ShouldSucceed("openssl req");
        using var sample = SampleProject.CopyOf("flask-hello");

        ProcessResult result = await sample.BuildAsync("ContainerBuild", Tls(wrong));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(["PYC3001"], BuildChecks.Errors(result));
        Assert.Contains(TlsHost, result.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Tls(string certificates) => new()
    {
        ["DOCKER_HOST"] = TlsHost,
        ["DOCKER_TLS_VERIFY"] = "1",
        ["DOCKER_CERT_PATH"] = certificates,
    };
}
