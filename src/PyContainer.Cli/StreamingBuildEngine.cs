using System.Collections;
using System.Globalization;
using Microsoft.Build.Framework;
using PyContainer.Tasks;

namespace PyContainer.Cli;

/// <summary>
/// The build engine of a task run out of process: each log event becomes one protocol line on standard output,
/// which the net472 ToolTask turns back into the same MSBuild event (importance, code, file and position kept).
/// </summary>
internal sealed class StreamingBuildEngine(TextWriter output, string? projectFile) : IBuildEngine
{
    private readonly object _gate = new();

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => projectFile ?? "";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException("PyContainer's tasks build no other project.");

    public void LogCustomEvent(CustomBuildEventArgs e) => Write("message", "low", e.Message ?? "");

    public void LogMessageEvent(BuildMessageEventArgs e) =>
        Write("message", e.Importance.ToString().ToLowerInvariant(), e.Message ?? "");

    public void LogWarningEvent(BuildWarningEventArgs e) =>
        Write("warning", e.Code ?? "", e.File ?? "", Number(e.LineNumber), Number(e.ColumnNumber), Number(e.EndLineNumber), Number(e.EndColumnNumber), e.Message ?? "");

    public void LogErrorEvent(BuildErrorEventArgs e) =>
        Write("error", e.Code ?? "", e.File ?? "", Number(e.LineNumber), Number(e.ColumnNumber), Number(e.EndLineNumber), Number(e.EndColumnNumber), e.Message ?? "");

    /// <summary>An error of the CLI itself (no code: as MSBuild reports a task that threw).</summary>
    public void Error(string message) => Write("error", "", ProjectFileOfTaskNode, "0", "0", "0", "0", message);

    private void Write(params string[] fields)
    {
        lock (_gate)
        {
            output.WriteLine(TaskProtocol.LogPrefix + TaskProtocol.Line(fields));
            output.Flush();
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
