namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// A key pair and known_hosts of a test's own for the sshd eng/test-env.sh runs on 127.0.0.1:PYCONTAINER_SSH_PORT.
/// ssh reads ~/.ssh of the user's passwd entry, not $HOME, so instead of the machine's ~/.ssh/config the test puts
/// an `ssh` first on PATH that adds `-F` with this folder's config (IdentityFile, UserKnownHostsFile): the
/// program PyContainer runs, found on PATH as the docker CLI finds it, with the settings a user's config would give.
/// </summary>
public sealed class SshAccess : IDisposable
{
    private readonly string _publicKey;

    private SshAccess(string directory, string publicKey)
    {
        Directory = directory;
        _publicKey = publicKey;
    }

    public string Directory { get; }

    public static int Port => TestEnvironment.SshPort;

    /// <summary>DOCKER_HOST for root on the test sshd.</summary>
    public static string DockerHost => $"ssh://root@127.0.0.1:{Port}";

    private static string AuthorizedKeys => TestEnvironment.SshAuthorizedKeys;

    /// <param name="knownHost">Whether known_hosts holds the sshd's key (false: the host is unknown).</param>
    public static async Task<SshAccess> CreateAsync(bool knownHost = true)
    {
        string directory = Path.Combine(Path.GetTempPath(), "pycontainer-ssh-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        string key = Path.Combine(directory, "id_ed25519");
        (await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "pycontainer-e2e-" + Path.GetFileName(directory), "-f", key], timeout: TimeSpan.FromMinutes(1)))
            .ShouldSucceed("ssh-keygen");
        string knownHosts = "";
        if (knownHost)
        {
            ProcessResult scan = await ProcessRunner.RunAsync("ssh-keyscan", ["-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1"], timeout: TimeSpan.FromMinutes(1));
            scan.ShouldSucceed("ssh-keyscan");
            knownHosts = string.Join('\n', scan.Output.Split('\n').Where(l => l.StartsWith('['))) + "\n";
        }

        File.WriteAllText(Path.Combine(directory, "known_hosts"), knownHosts);
        File.WriteAllText(Path.Combine(directory, "ssh_config"), $"""
            Host *
              IdentityFile {key}
              IdentitiesOnly yes
              UserKnownHostsFile {directory}/known_hosts
              GlobalKnownHostsFile /dev/null

            """);
        string wrapper = Path.Combine(directory, "bin", "ssh");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(wrapper)!);
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec /usr/bin/ssh -F {directory}/ssh_config \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string publicKey = File.ReadAllText(key + ".pub").Trim();
        File.AppendAllText(AuthorizedKeys, publicKey + "\n");
        return new SshAccess(directory, publicKey);
    }

    /// <summary>The build's environment: this ssh first on PATH, and DOCKER_HOST as given (empty: unset).</summary>
    public Dictionary<string, string> Environment(string dockerHost) => new(StringComparer.Ordinal)
    {
        ["PATH"] = Path.Combine(Directory, "bin") + ":" + System.Environment.GetEnvironmentVariable("PATH"),
        ["DOCKER_HOST"] = dockerHost,
    };

    /// <summary>ssh processes this access started that still run (none may outlive a build).</summary>
    public async Task<string> LeftoverSshProcessesAsync()
    {
        ProcessResult find = await ProcessRunner.RunAsync("pgrep", ["-a", "-f", $"ssh -F {Directory}/ssh_config"], timeout: TimeSpan.FromSeconds(10));
        return find.ExitCode == 0 ? find.Output.Trim() : "";
    }

    /// <summary>Takes the key out of authorized_keys: the sshd then refuses it.</summary>
    public void Unauthorize() =>
        File.WriteAllLines(AuthorizedKeys, File.ReadAllLines(AuthorizedKeys).Where(l => l.Trim() != _publicKey).ToArray());

    public void Dispose()
    {
        Unauthorize();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
