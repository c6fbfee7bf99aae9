using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace PyContainer.Tasks;

/// <summary>
/// Base of every PyContainer task: runs the async core work, cancels it when the build is cancelled
/// (Ctrl+C, Visual Studio), and turns coded core failures into one coded MSBuild error each.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "MSBuild never disposes tasks, and a token source without timers holds nothing to release.")]
public abstract class PyContainerTask : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>
    /// The user's project ($(MSBuildProjectFullPath)): errors point at it, so IDEs and pipeline annotations show
    /// the file to fix rather than PyContainer's own targets file.
    /// </summary>
    public string? ProjectFullPath { get; set; }

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            ExecuteAsync(new MSBuildLog(Log, ErrorFile), _cancellation.Token).GetAwaiter().GetResult();
        }
        catch (PyContainerException e)
        {
            Log.LogError(subcategory: null, e.Code, helpKeyword: null, ErrorFile, 0, 0, 0, 0, e.Message);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogError(subcategory: null, Errors.BuildCancelled, helpKeyword: null, ErrorFile, 0, 0, 0, 0, "The operation was cancelled.");
        }

        return !Log.HasLoggedErrors;
    }

    private string? ErrorFile => string.IsNullOrEmpty(ProjectFullPath) ? BuildEngine?.ProjectFileOfTaskNode : ProjectFullPath;

    protected abstract Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken);

    /// <summary>Bridges the core's log to MSBuild's: Info is normal importance, Detail is low.</summary>
    private sealed class MSBuildLog(Microsoft.Build.Utilities.TaskLoggingHelper log, string? file) : IBuildLog
    {
        public void Info(string message) => log.LogMessage(MessageImportance.High, message);

        public void Detail(string message) => log.LogMessage(MessageImportance.Low, message);

        public void Warning(string code, string message) =>
            log.LogWarning(subcategory: null, code, helpKeyword: null, file, 0, 0, 0, 0, message);
    }
}
