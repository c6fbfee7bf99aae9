using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Resources;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace PyContainer.Tasks;

/// <summary>
/// .NET Framework MSBuild (Visual Studio) only: each task runs out of process in PyContainer.Cli on .NET, so no
/// third-party assembly is ever loaded into MSBuild's process (as dotnet/sdk's CreateNewImage does). The
/// parameters go in a request file, the CLI's log comes back line by line as real messages, warnings and errors
/// (PYC codes and files kept), [Output] parameters come back in a result file (see TaskProtocol). Secrets never
/// go in the request or on the command line: the CLI inherits the environment, where the core reads them.
/// </summary>
public abstract class PyContainerTask : ToolTask
{
    private const string CliMissing = "PYC3012";
    private const string DotnetHostMissing = "PYC3013";
    private const string CliFailed = "PYC3014";
    private const string BuildCancelled = "PYC3004";
    private const int CancelGraceMilliseconds = 10_000;

    /// <summary>Core's message catalogue, embedded here too, so both builds say the same thing for a code.</summary>
    private static readonly ResourceManager Messages = new("PyContainer.Diagnostics.Messages", typeof(PyContainerTask).Assembly);

    private readonly Queue<string> _otherOutput = new();
    private string _requestFile = "";
    private string _resultFile = "";
    private bool _cancelled;
    private Process? _tool;

    /// <summary>The user's project ($(MSBuildProjectFullPath)): errors point at it.</summary>
    public string? ProjectFullPath { get; set; }

    /// <summary>The CLI beside the SDK's tool folders: tools/cli/PyContainer.Cli.dll next to tools/net472/.</summary>
    private static string CliPath => Path.GetFullPath(Path.Combine(
        Path.GetDirectoryName(typeof(PyContainerTask).Assembly.Location) ?? ".", "..", "cli", "PyContainer.Cli.dll"));

    protected override string ToolName => Path.DirectorySeparatorChar == '\\' ? "dotnet.exe" : "dotnet";

    /// <summary>Unprefixed output (the host's own complaints): Normal, so a failure's cause is in the log.</summary>
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

    private string? ErrorFile => string.IsNullOrEmpty(ProjectFullPath) ? BuildEngine?.ProjectFileOfTaskNode : ProjectFullPath;

    public override bool Execute()
    {
        bool succeeded = base.Execute();
        if (_cancelled && !Log.HasLoggedErrors)
        {
            Log.LogError(null, BuildCancelled, null, ErrorFile, 0, 0, 0, 0, "The operation was cancelled.");
        }

        return succeeded && !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Asks the CLI to cancel (a "cancel" line on its standard input), so the core stops the engine's build as it
    /// does in process; kills it only if it has not stopped within the grace period. ToolTask's own kill comes
    /// last and finds nothing left to kill (on Mono it could not: MSBuild's process-tree kill is Windows-only there).
    /// </summary>
    public override void Cancel()
    {
        _cancelled = true;
        Process? tool = _tool;
        if (tool is not null)
        {
            try
            {
                tool.StandardInput.WriteLine(TaskProtocol.CancelRequest);
                tool.StandardInput.Flush();
                if (!tool.WaitForExit(CancelGraceMilliseconds))
                {
                    tool.Kill();
                    tool.WaitForExit(CancelGraceMilliseconds);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or Win32Exception)
            {
                // It has exited already.
            }
        }

        base.Cancel();
    }

    protected override ProcessStartInfo GetProcessStartInfo(string pathToTool, string commandLineCommands, string responseFileSwitch)
    {
        ProcessStartInfo start = base.GetProcessStartInfo(pathToTool, commandLineCommands, responseFileSwitch);
        start.RedirectStandardInput = true;
        return start;
    }

    protected override Process StartToolProcess(Process proc) => _tool = base.StartToolProcess(proc);

    /// <summary>The .NET host: DOTNET_HOST_PATH (the dotnet CLI sets it), else dotnet on PATH (Visual Studio).</summary>
    protected override string? GenerateFullPathToTool()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host))
        {
            return host;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator)
            .Where(folder => folder.Length > 0)
            .Select(folder => Path.Combine(folder, ToolName))
            .FirstOrDefault(File.Exists);
    }

    protected override bool ValidateParameters()
    {
        if (!File.Exists(CliPath))
        {
            LogCoded(CliMissing, CliPath);
            return false;
        }

        string? host = GenerateFullPathToTool();
        if (host is null || !File.Exists(host))
        {
            LogCoded(DotnetHostMissing, host ?? $"no {ToolName} on PATH and no DOTNET_HOST_PATH");
            return false;
        }

        return base.ValidateParameters();
    }

    /// <summary>
    /// The CLI and its request file. PyContainer writes the request itself rather than through ToolTask's response
    /// file: ToolTask's temporary folder fails on Mono, and ToolTask would log the whole request at high importance.
    /// </summary>
    protected override string GenerateCommandLineCommands()
    {
        string stem = Path.Combine(Path.GetTempPath(), $"pycontainer-{Guid.NewGuid():N}");
        _requestFile = stem + ".rsp";
        _resultFile = stem + ".result";
        return Quoted(CliPath) + " " + Quoted("@" + _requestFile);
    }

    private IEnumerable<string> Request()
    {
        if (string.IsNullOrEmpty(ProjectFullPath))
        {
            ProjectFullPath = BuildEngine?.ProjectFileOfTaskNode;
        }

        return new[] { TaskProtocol.Header, TaskProtocol.Line("task", GetType().Name), TaskProtocol.Line("result", _resultFile) }
            .Concat(TaskProtocol.Records(this, TaskProtocol.Parameters(GetType(), outputs: false), WithWellKnownMetadata));
    }

    /// <summary>Paths are passed as they are: ToolTask must not turn their backslashes into '/'.</summary>
    protected override string AdjustCommandsForOperatingSystem(string input) => input;

    /// <summary>The command line and the response file hold nothing a user needs at normal verbosity.</summary>
    protected override void LogToolCommand(string message) => Log.LogMessage(MessageImportance.Low, message);

    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        try
        {
            File.WriteAllLines(_requestFile, Request());
            int exitCode = base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
            if (exitCode == 0 && File.Exists(_resultFile))
            {
                TaskProtocol.Apply(this, File.ReadAllLines(_resultFile), OutputItem);
            }

            return exitCode;
        }
        finally
        {
            File.Delete(_requestFile);
            File.Delete(_resultFile);
        }
    }

    /// <summary>One line of the CLI's output: a protocol log record, or anything else (the host's own text).</summary>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (!singleLine.StartsWith(TaskProtocol.LogPrefix, StringComparison.Ordinal))
        {
            _otherOutput.Enqueue(singleLine);
            if (_otherOutput.Count > 10)
            {
                _otherOutput.Dequeue();
            }

            Log.LogMessage(messageImportance, singleLine);
            return;
        }

        string[] fields = TaskProtocol.Fields(singleLine.Substring(TaskProtocol.LogPrefix.Length));
        switch (fields[0])
        {
            case "message" when fields.Length == 3:
                Log.LogMessage((MessageImportance)Enum.Parse(typeof(MessageImportance), fields[1], ignoreCase: true), fields[2]);
                break;
            case "warning" when fields.Length == 8:
                Log.LogWarning(null, NullIfEmpty(fields[1]), null, NullIfEmpty(fields[2]), Number(fields[3]), Number(fields[4]), Number(fields[5]), Number(fields[6]), fields[7]);
                break;
            case "error" when fields.Length == 8:
                Log.LogError(null, NullIfEmpty(fields[1]), null, NullIfEmpty(fields[2]), Number(fields[3]), Number(fields[4]), Number(fields[5]), Number(fields[6]), fields[7]);
                break;
            default:
                Log.LogMessage(MessageImportance.Low, singleLine);
                break;
        }
    }

    /// <summary>The CLI failed without saying why (it crashed, or the host could not start it).</summary>
    protected override bool HandleTaskExecutionErrors()
    {
        if (!Log.HasLoggedErrors && !_cancelled)
        {
            string output = _otherOutput.Count == 0 ? "" : ": " + string.Join(" | ", _otherOutput);
            LogCoded(CliFailed, ExitCode, output);
        }

        return false;
    }

    private static IEnumerable<KeyValuePair<string, string>> WithWellKnownMetadata(ITaskItem item) =>
        TaskProtocol.CustomMetadata(item)
            .Concat(TaskProtocol.WellKnownMetadata.Select(name => new KeyValuePair<string, string>(name, item.GetMetadata(name))));

    private static ITaskItem OutputItem(string spec, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var item = new TaskItem(TaskProtocol.EscapeForMSBuild(spec));
        foreach (KeyValuePair<string, string> entry in metadata)
        {
            item.SetMetadata(entry.Key, TaskProtocol.EscapeForMSBuild(entry.Value));
        }

        return item;
    }

    private void LogCoded(string code, params object[] args)
    {
        string format = Messages.GetString(code, CultureInfo.CurrentUICulture) ?? code;
        Log.LogError(null, code, null, ErrorFile, 0, 0, 0, 0, string.Format(CultureInfo.CurrentCulture, format, args));
    }

    private static string Quoted(string value) => "\"" + value + "\"";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static int Number(string value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) ? number : 0;
}
