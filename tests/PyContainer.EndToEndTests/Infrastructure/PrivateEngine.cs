using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// A Docker engine of one test's own, for faults the shared engine must not suffer (killed mid-build, a full disk):
/// the machine's dockerd with its own unix socket, data root, exec root (and so its own containerd), pidfile,
/// daemon.json and cgroup parent, all in a scratch folder, off the default bridge with the flags eng/test-env.sh
/// gives the main engine. With a size, the data root is a loop-mounted ext4 file system of that size.
/// Disposing stops it and removes everything it made, after a kill too: the processes of its builds (they outlive
/// a killed dockerd), its mounts, the loop device, its cgroups and the scratch folder.
/// </summary>
public sealed class PrivateEngine : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _scratch;
    private readonly string _cgroupParent;
    private Process? _dockerd;

    private PrivateEngine(string scratch, string cgroupParent)
    {
        _scratch = scratch;
        _cgroupParent = cgroupParent;
    }

    /// <summary>The engine's address, as ContainerEngineEndpoint or `docker -H` take it.</summary>
    public string Endpoint => "unix://" + Path.Combine(_scratch, "docker.sock");

    private string DataRoot => Path.Combine(_scratch, "data");

    private string DiskImage => Path.Combine(_scratch, "data.ext4");

    private string LogFile => Path.Combine(_scratch, "dockerd.log");

    /// <summary>Starts an engine; with <paramref name="dataRootSize"/> (bytes), on a file system that small.</summary>
    public static async Task<PrivateEngine> StartAsync(long dataRootSize = 0)
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        // Mount points are compared with /proc/self/mountinfo, which shows real paths: no symlink in the scratch path.
        ProcessResult temp = await RunAsync("realpath", "-e", Path.GetTempPath());
        temp.ShouldSucceed("realpath " + Path.GetTempPath());
        var engine = new PrivateEngine(Path.Combine(temp.Output.Trim(), "pycontainer-engine-" + id), "pycontainer-e2e-engine-" + id);
        try
        {
            Directory.CreateDirectory(engine.DataRoot);
            File.WriteAllText(Path.Combine(engine._scratch, "daemon.json"), "{}\n"); // the machine's /etc/docker/daemon.json is not ours
            if (dataRootSize > 0)
            {
                await engine.MountDataRootAsync(dataRootSize);
            }

            await engine.StartDockerdAsync();
            return engine;
        }
        catch
        {
            await engine.DisposeQuietlyAsync();
            throw;
        }
    }

    /// <summary>`docker -H` this engine.</summary>
    public Task<ProcessResult> DockerAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("docker", ["-H", Endpoint, .. arguments], timeout: CommandTimeout);

    /// <summary>Copies <paramref name="image"/> from the shared engine (`docker save | docker load`): nothing can be pulled here.</summary>
    public async Task LoadImageAsync(string image) =>
        (await RunAsync("bash", "-o", "pipefail", "-c", "docker save \"$1\" | docker -H \"$2\" load", "bash", image, Endpoint))
            .ShouldSucceed($"copying {image} into the private engine");

    /// <summary>Every repository:tag the engine has, sorted.</summary>
    public async Task<List<string>> TagsAsync()
    {
        ProcessResult list = await DockerAsync("image", "ls", "--format", "{{.Repository}}:{{.Tag}}");
        list.ShouldSucceed("docker image ls on the private engine");
        return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>SIGKILL to dockerd's pid: no shutdown, its containerd and runc die with it, its builds' processes do not.</summary>
    public void Kill()
    {
        Process dockerd = _dockerd ?? throw new InvalidOperationException("The private engine is not running.");
        dockerd.Kill();
        dockerd.WaitForExit();
    }

    /// <summary>Starts dockerd again on the same data root, e.g. after <see cref="Kill"/>, to see what the engine kept.</summary>
    public Task RestartAsync()
    {
        if (_dockerd is { HasExited: false })
        {
            throw new InvalidOperationException("The private engine is still running.");
        }

        // A killed containerd stays a zombie until init reaps it, which this machine's init does only now and then; dockerd
        // takes a pid file naming a zombie for a running containerd and waits for it in vain.
        foreach (string pidFile in new[] { Path.Combine(_scratch, "docker.pid"), Path.Combine(_scratch, "exec", "containerd", "containerd.pid") })
        {
            if (File.Exists(pidFile) && IsGoneOrZombie(File.ReadAllText(pidFile).Trim()))
            {
                File.Delete(pidFile);
            }
        }

        return StartDockerdAsync();
    }

    public async ValueTask DisposeAsync()
    {
        var problems = new List<string>();
        await StopDockerdAsync();
        if (!await KillLeftoverProcessesAsync())
        {
            problems.Add("processes of the engine survive: " + string.Join(", ", LeftoverProcesses()));
        }

        await UnmountAllAsync();
        await DetachLoopDevicesAsync();
        problems.AddRange(RemoveCgroups());
        List<string> mounts = MountsUnder(_scratch);
        if (mounts.Count > 0)
        {
            // Never delete through a mount point: what lies below it is not this folder's.
            problems.Add("still mounted: " + string.Join(", ", mounts));
        }
        else if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }

        _dockerd?.Dispose();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The private engine in {_scratch} was not cleaned up: " + string.Join("; ", problems));
        }
    }

    private async Task DisposeQuietlyAsync()
    {
        try
        {
            await DisposeAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Starting failed: that failure is the one to report.
        }
    }

    private async Task MountDataRootAsync(long size)
    {
        await using (FileStream image = File.Create(DiskImage))
        {
            image.SetLength(size); // sparse: only what the engine writes takes space
        }

        // -m 0: no blocks reserved for root, so a build step running as root sees the same "full" as the engine.
        (await RunAsync(Tool("mkfs.ext4"), "-q", "-F", "-m", "0", DiskImage)).ShouldSucceed("mkfs.ext4 " + DiskImage);
        (await RunAsync(Tool("mount"), "-o", "loop", DiskImage, DataRoot)).ShouldSucceed("mount -o loop " + DiskImage);
    }

    private async Task StartDockerdAsync()
    {
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        // exec keeps the pid, so the Process is dockerd itself; its output goes to a log in the scratch folder.
        foreach (string argument in new[]
        {
            "-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", LogFile, Tool("dockerd"),
            "--config-file", Path.Combine(_scratch, "daemon.json"),
            "--host", Endpoint,
            "--data-root", DataRoot,
            "--exec-root", Path.Combine(_scratch, "exec"),
            "--pidfile", Path.Combine(_scratch, "docker.pid"),
            // The processes of its builds are found (and killed after a crash) by this cgroup.
            "--exec-opt", "native.cgroupdriver=cgroupfs", "--cgroup-parent", "/" + _cgroupParent,
            "--bridge=none", "--iptables=false", "--ip-forward=false", "--ip-masq=false",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _dockerd?.Dispose();
        _dockerd = Process.Start(start) ?? throw new InvalidOperationException("dockerd did not start.");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_dockerd.HasExited)
            {
                throw new InvalidOperationException($"The private dockerd exited with code {_dockerd.ExitCode}:\n{LogTail()}");
            }

            if (await AnswersAsync())
            {
                return;
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The private dockerd did not answer at {Endpoint} within {StartTimeout.TotalSeconds} s:\n{LogTail()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Whether the engine answers; a socket that is there before the API is accepts and waits, hence the timeout.</summary>
    private async Task<bool> AnswersAsync()
    {
        try
        {
            return (await ProcessRunner.RunAsync("docker", ["-H", Endpoint, "version", "--format", "{{.Server.Version}}"], timeout: TimeSpan.FromSeconds(5))).ExitCode == 0;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task StopDockerdAsync()
    {
        if (_dockerd is not { HasExited: false } dockerd)
        {
            return;
        }

        // SIGTERM: dockerd stops its containerd and unmounts what it can.
        await RunAsync("/bin/kill", "-TERM", dockerd.Id.ToString(CultureInfo.InvariantCulture));
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await dockerd.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            dockerd.Kill();
            await dockerd.WaitForExitAsync();
        }
    }

    /// <summary>Kills, by pid, what is left of the engine; whether none is left in the end.</summary>
    private async Task<bool> KillLeftoverProcessesAsync()
    {
        for (int round = 0; round < 20; round++)
        {
            List<int> leftovers = LeftoverProcesses();
            if (leftovers.Count == 0)
            {
                return true;
            }

            foreach (int pid in leftovers)
            {
                try
                {
                    using Process process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone meanwhile.
                }
            }

            await Task.Delay(250);
        }

        return LeftoverProcesses().Count == 0;
    }

    /// <summary>
    /// Live processes in the engine's cgroup (its builds' steps) or whose command line names the scratch folder (dockerd,
    /// its containerd, runc); never this test process. Zombies are dead already: only their parent or init can reap them.
    /// </summary>
    private List<int> LeftoverProcesses()
    {
        var found = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId
                || IsGoneOrZombie(Path.GetFileName(directory)))
            {
                continue;
            }

            try
            {
                bool inCgroup = File.ReadAllLines(Path.Combine(directory, "cgroup"))
                    .Select(line => line.Split(':', 3).Last())
                    .Any(path => path == "/" + _cgroupParent || path.StartsWith("/" + _cgroupParent + "/", StringComparison.Ordinal));
                bool namesScratch = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Contains(_scratch + "/", StringComparison.Ordinal);
                if (inCgroup || namesScratch)
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked.
            }
        }

        return found;
    }

    /// <summary>Unmounts everything below the scratch folder, the last mounted first; lazily when busy.</summary>
    private async Task UnmountAllAsync()
    {
        for (int round = 0; round < 3 && MountsUnder(_scratch) is { Count: > 0 } mounts; round++)
        {
            foreach (string mount in Enumerable.Reverse(mounts))
            {
                if ((await RunAsync(Tool("umount"), mount)).ExitCode != 0)
                {
                    await RunAsync(Tool("umount"), "-l", mount);
                }
            }
        }
    }

    /// <summary>`mount -o loop` frees its device on unmount; a lazy unmount may leave it attached.</summary>
    private async Task DetachLoopDevicesAsync()
    {
        if (!File.Exists(DiskImage))
        {
            return;
        }

        ProcessResult attached = await RunAsync(Tool("losetup"), "-j", DiskImage);
        foreach (string line in attached.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await RunAsync(Tool("losetup"), "-d", line[..line.IndexOf(':', StringComparison.Ordinal)]);
        }
    }

    /// <summary>Removes the engine's cgroup in every hierarchy (cgroup v1 controllers, or the v2 tree), innermost first.</summary>
    private List<string> RemoveCgroups()
    {
        var problems = new List<string>();
        const string root = "/sys/fs/cgroup";
        if (!Directory.Exists(root))
        {
            return problems;
        }

        IEnumerable<string> hierarchies = Directory.EnumerateDirectories(root).Prepend(root);
        foreach (string cgroup in hierarchies.Select(h => Path.Combine(h, _cgroupParent)).Where(Directory.Exists).ToList())
        {
            foreach (string directory in Directory.GetDirectories(cgroup, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(cgroup))
            {
                try
                {
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory); // rmdir: a cgroup's files go with it
                    }
                }
                catch (IOException e)
                {
                    problems.Add($"cgroup {directory}: {e.Message}");
                }
            }
        }

        return problems;
    }

    /// <summary>Mount points at or below <paramref name="folder"/>, in mount order.</summary>
    private static List<string> MountsUnder(string folder) =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => UnescapeMountPath(line.Split(' ')[4]))
            .Where(path => path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal))
            .ToList();

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes (\040).</summary>
    private static string UnescapeMountPath(string path)
    {
        var text = new StringBuilder(path.Length);
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 3 < path.Length)
            {
                text.Append((char)Convert.ToInt32(path.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(path[i]);
            }
        }

        return text.ToString();
    }

    /// <summary>The third field of /proc/PID/stat is the state; Z is a zombie.</summary>
    private static bool IsGoneOrZombie(string pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private string LogTail() =>
        File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(30)) : "(no log)";

    /// <summary>dockerd, mount and mkfs live in sbin, which a test runner's PATH may lack.</summary>
    private static string Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists) ?? name;

    private static Task<ProcessResult> RunAsync(string fileName, params string[] arguments) =>
        ProcessRunner.RunAsync(fileName, arguments, timeout: CommandTimeout);
}
