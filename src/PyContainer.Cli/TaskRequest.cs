using Microsoft.Build.Framework;
using PyContainer.Tasks;

namespace PyContainer.Cli;

/// <summary>What the net472 ToolTask asks for: a task by name, its parameters, and where its outputs go.</summary>
internal sealed class TaskRequest
{
    private readonly string[] _lines;

    private TaskRequest(string taskName, string resultFile, string? projectFile, string[] lines)
    {
        TaskName = taskName;
        ResultFile = resultFile;
        ProjectFile = projectFile;
        _lines = lines;
    }

    public string TaskName { get; }

    public string ResultFile { get; }

    /// <summary>The user's project (ProjectFullPath): the file errors point at when the task names none.</summary>
    public string? ProjectFile { get; }

    public static TaskRequest Read(string responseFile)
    {
        string[] lines = File.ReadAllLines(responseFile);
        if (lines.Length == 0 || lines[0] != TaskProtocol.Header)
        {
            throw new InvalidDataException($"the first line is not '{TaskProtocol.Header}' (an SDK of another version?)");
        }

        string? Single(string kind) => lines.Select(TaskProtocol.Fields).Where(f => f.Length >= 2 && f[0] == kind).Select(f => f[^1]).FirstOrDefault();
        string? projectFile = lines.Select(TaskProtocol.Fields)
            .Where(f => f.Length == 3 && f[0] == "value" && f[1] == nameof(PyContainerTask.ProjectFullPath))
            .Select(f => f[2]).FirstOrDefault();
        return new TaskRequest(
            Single("task") ?? throw new InvalidDataException("no task is named"),
            Single("result") ?? throw new InvalidDataException("no result file is named"),
            projectFile,
            lines);
    }

    /// <summary>The .NET build of the named task, with every parameter the request carries set.</summary>
    public PyContainerTask CreateTask(IBuildEngine engine)
    {
        Type type = typeof(PyContainerTask).Assembly.GetType($"{typeof(PyContainerTask).Namespace}.{TaskName}")
            ?? throw new InvalidDataException($"PyContainer has no task {TaskName}");
        if (!type.IsSubclassOf(typeof(PyContainerTask)) || Activator.CreateInstance(type) is not PyContainerTask task)
        {
            throw new InvalidDataException($"{TaskName} is no PyContainer task");
        }

        task.BuildEngine = engine;
        TaskProtocol.Apply(task, _lines, (spec, metadata) => new ProtocolItem(spec, metadata));
        return task;
    }

    /// <summary>The task's [Output] parameters, for the ToolTask to hand back to MSBuild.</summary>
    public void WriteResult(PyContainerTask task) =>
        File.WriteAllLines(ResultFile, TaskProtocol.Records(task, TaskProtocol.Parameters(task.GetType(), outputs: true), TaskProtocol.CustomMetadata));
}
