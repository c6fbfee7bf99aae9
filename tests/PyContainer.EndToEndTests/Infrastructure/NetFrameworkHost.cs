using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace PyContainer.EndToEndTests.Infrastructure;

/// <summary>
/// Runs tasks of the PACKED tools/net472/PyContainer.Tasks.dll under mono (a .NET Framework runtime), through
/// tests/PyContainer.NetFrameworkHost, as .NET Framework MSBuild would: each task then runs tools/cli out of process.
/// Each instance extracts the package to a folder of its own, so its CLI processes can be told from any other.
/// </summary>
public sealed class NetFrameworkHost : IDisposable
{
    private static readonly string HostExe = typeof(NetFrameworkHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NetFrameworkHost").Value!;

    public NetFrameworkHost()
    {
        PackageDirectory = Path.Combine(Path.GetTempPath(), "pycontainer-netfx", Guid.NewGuid().ToString("N")[..10]);
        ZipFile.ExtractToDirectory(Path.Combine(TestEnvironment.PackagesFeed, $"PyContainer.Sdk.{TestEnvironment.SdkVersion}.nupkg"), PackageDirectory);
    }

    public string PackageDirectory { get; }

    public string TasksAssembly => Path.Combine(PackageDirectory, "tools", "net472", "PyContainer.Tasks.dll");

    public string CliAssembly => Path.Combine(PackageDirectory, "tools", "cli", "PyContainer.Cli.dll");

    private static string Mono => Environment.GetEnvironmentVariable("PYCONTAINER_MONO") is { Length: > 0 } mono
        ? mono
        : throw new InvalidOperationException("PYCONTAINER_MONO is not set: run eng/test-env.sh (it installs mono) and source artifacts/test-env/env.sh.");

    /// <summary>Runs one task to its end; Name=Value parameters as the host takes them.</summary>
    public Task<ProcessResult> RunAsync(string task, IEnumerable<string> parameters, IDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync(Mono, HostArguments(task, parameters), environment: environment, timeout: TimeSpan.FromMinutes(10));

    /// <summary>Starts one task; <see cref="Running.CancelAsync"/> cancels it as Ctrl+C in MSBuild would.</summary>
    public Running Start(string task, IEnumerable<string> parameters)
    {
        var start = new ProcessStartInfo(Mono)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in HostArguments(task, parameters))
        {
            start.ArgumentList.Add(argument);
        }

        return new Running(Process.Start(start)!);
    }

    /// <summary>The PyContainer.Cli processes this package's tasks started that are still alive.</summary>
    public List<int> LiveCliProcesses() =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Where(pid => CommandLine(pid!).Contains(CliAssembly, StringComparison.Ordinal))
            .Select(pid => int.Parse(pid!, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>The "output Name=Value" line the host printed for an [Output] parameter.</summary>
    public static string Output(ProcessResult result, string name) =>
        result.Output.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith($"output {name}=", StringComparison.Ordinal))
            .Select(l => l[$"output {name}=".Length..])
            .Single();

    public void Dispose()
    {
        try
        {
            Directory.Delete(PackageDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder: best effort.
        }
    }

    private List<string> HostArguments(string task, IEnumerable<string> parameters) => [HostExe, TasksAssembly, task, .. parameters];

    private static string CommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>A task running in the host: its output so far, and a way to cancel it.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        internal Running(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public async Task CancelAsync() => await _process.StandardInput.WriteLineAsync("cancel");

        public async Task<ProcessResult> WaitAsync(TimeSpan timeout)
        {
            using var cancellation = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cancellation.Token);
            _process.WaitForExit();
            lock (_output)
            {
                return new ProcessResult(_process.ExitCode, _output.ToString());
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
