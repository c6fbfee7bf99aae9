using System.Runtime.InteropServices;
using PyContainer.Cli;
using PyContainer.Tasks;

// pycontainer-cli @RESPONSEFILE: runs the task the response file names (see TaskProtocol) and exits 0 when it
// succeeded, 1 when it logged an error, 2 when the request itself is unusable.
if (args.Length != 1 || !args[0].StartsWith('@'))
{
    Console.Error.WriteLine("usage: PyContainer.Cli @RESPONSEFILE (run by PyContainer's .NET Framework MSBuild tasks)");
    return 2;
}

TaskRequest request;
try
{
    request = TaskRequest.Read(args[0][1..]);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
{
    Console.Error.WriteLine($"PyContainer.Cli cannot read {args[0][1..]}: {e.Message}");
    return 2;
}

var engine = new StreamingBuildEngine(Console.Out, request.ProjectFile);
PyContainerTask task = request.CreateTask(engine);

// The ToolTask's "cancel" line, Ctrl+C or SIGTERM cancel the task as MSBuild would (ToolTask kills us if we linger).
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
new Thread(() =>
{
    while (Console.In.ReadLine() is { } line)
    {
        if (line.Trim() == TaskProtocol.CancelRequest)
        {
            task.Cancel();
        }
    }
}) { IsBackground = true, Name = "cancel requests" }.Start();

bool succeeded;
try
{
    succeeded = task.Execute();
}
#pragma warning disable CA1031 // Any failure must reach the build log as an error rather than a silent exit code.
catch (Exception e)
#pragma warning restore CA1031
{
    engine.Error($"{request.TaskName} failed unexpectedly: {e}");
    succeeded = false;
}

request.WriteResult(task);
return succeeded ? 0 : 1;

void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    task.Cancel();
}
