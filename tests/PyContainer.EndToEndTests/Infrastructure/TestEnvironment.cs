namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// What eng/test-env.sh provides, read from the variables it exports. A missing variable fails the test with
/// the command to run: end-to-end tests never pass by skipping what they are meant to check.
/// </summary>
public static class TestEnvironment
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string BaseImage => Required("PYCONTAINER_BASE_IMAGE");

    public static string Registry => Required("PYCONTAINER_REGISTRY");

    /// <summary>The base image as the plain registry serves it, for the daemonless builder (which reads no engine).</summary>
    public static string RegistryBaseImage => Required("PYCONTAINER_REGISTRY_BASE_IMAGE");

    /// <summary>The offline package index; empty where PyPI itself is reachable.</summary>
    public static string PackageIndexUrl => Environment.GetEnvironmentVariable("PYCONTAINER_PIP_INDEX_URL") ?? "";

    /// <summary>The engine's tcp+TLS listener, and the folder with the client's ca.pem, cert.pem and key.pem.</summary>
    public static string EngineTlsHost => Required("PYCONTAINER_ENGINE_TLS_HOST");

    public static string EngineTlsCertPath => Required("PYCONTAINER_ENGINE_TLS_CERT_PATH");

    /// <summary>The port of the sshd eng/test-env.sh runs on 127.0.0.1, and the authorized_keys file it reads.</summary>
    public static int SshPort => int.Parse(Required("PYCONTAINER_SSH_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string SshAuthorizedKeys => Required("PYCONTAINER_SSH_AUTHORIZED_KEYS");

    public static string PackagesFeed => Path.Combine(RepoRoot, "artifacts", "packages");

    public static string SdkVersion => "0.1.0";

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through eng/test.sh, or source artifacts/test-env/env.sh after eng/test-env.sh.");

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PyContainer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PyContainer.sln not found above " + AppContext.BaseDirectory);
    }
}
