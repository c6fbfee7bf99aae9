using System.Collections;
using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace PyContainer.NetFrameworkHost;

/// <summary>
/// mono PyContainer.NetFrameworkHost.exe TASKS_DLL TASK_NAME [Name=Value]...
/// Loads the task assembly as .NET Framework MSBuild does (LoadFrom), sets each parameter (string, bool,
/// string[] and ITaskItem[] split on ';', an item's metadata after '|' as Key=Value), runs the task with a build
/// engine that prints each event, and prints each [Output] parameter as "output Name=Value". A line "cancel" on
/// standard input cancels the task, as Ctrl+C in MSBuild does. Exit code 0 when the task succeeded.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: PyContainer.NetFrameworkHost.exe TASKS_DLL TASK_NAME [Name=Value]...");
            return 2;
        }

        // The test reads UTF-8 whatever the locale says.
        Console.OutputEncoding = new System.Text.UTF8Encoding(false);
        Assembly tasks = Assembly.LoadFrom(args[0]);
        Type type = tasks.GetType("PyContainer.Tasks." + args[1], throwOnError: true);
        var task = (ITask)Activator.CreateInstance(type);
        task.BuildEngine = new ConsoleBuildEngine();
        foreach (string argument in args.Skip(2))
        {
            int equals = argument.IndexOf('=');
            string name = argument.Substring(0, equals);
            PropertyInfo property = type.GetProperty(name)
                ?? throw new ArgumentException($"{args[1]} has no parameter {name}");
            property.SetValue(task, Parse(property.PropertyType, argument.Substring(equals + 1)));
        }

        // As MSBuild does (MSB4044): a [Required] parameter the caller did not set stops the task before it runs.
        string[] given = args.Skip(2).Select(a => a.Substring(0, a.IndexOf('='))).ToArray();
        foreach (PropertyInfo required in type.GetProperties().Where(p => p.GetCustomAttributes(typeof(RequiredAttribute), true).Length > 0))
        {
            if (!given.Contains(required.Name))
            {
                throw new ArgumentException($"{args[1]} needs its required parameter {required.Name}");
            }
        }

        var cancelling = new Thread(() =>
        {
            string line;
            while ((line = Console.In.ReadLine()) is not null)
            {
                if (line.Trim() == "cancel")
                {
                    Console.WriteLine("host: cancelling");
                    ((ICancelableTask)task).Cancel();
                }
            }
        }) { IsBackground = true };
        cancelling.Start();

        bool succeeded = task.Execute();
        foreach (PropertyInfo output in type.GetProperties().Where(p => p.GetCustomAttributes(typeof(OutputAttribute), true).Length > 0))
        {
            Console.WriteLine($"output {output.Name}={Format(output.GetValue(task))}");
        }

        Console.WriteLine($"host: task returned {succeeded}");
        return succeeded ? 0 : 1;
    }

    private static object Parse(Type type, string value)
    {
        string[] parts = value.Split(';').Where(p => p.Length > 0).ToArray();
        if (type == typeof(bool))
        {
            return bool.Parse(value);
        }

        if (type == typeof(string[]))
        {
            return parts;
        }

        if (type == typeof(ITaskItem[]))
        {
            return parts.Select(Item).ToArray();
        }

        return value;
    }

    private static ITaskItem Item(string text)
    {
        string[] fields = text.Split('|');
        var item = new TaskItem(fields[0]);
        foreach (string metadata in fields.Skip(1))
        {
            int equals = metadata.IndexOf('=');
            item.SetMetadata(metadata.Substring(0, equals), metadata.Substring(equals + 1));
        }

        return item;
    }

    private static string Format(object value) => value switch
    {
        string[] values => string.Join(";", values),
        ITaskItem[] items => string.Join(";", items.Select(i => i.ItemSpec + string.Concat(
            i.MetadataNames.Cast<string>().Where(n => i.CloneCustomMetadata().Contains(n)).Select(n => $"|{n}={i.GetMetadata(n)}")))),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}

/// <summary>Prints every event as MSBuild's console logger would, codes and files included.</summary>
internal sealed class ConsoleBuildEngine : IBuildEngine
{
    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "host.proj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;

    public void LogCustomEvent(CustomBuildEventArgs e) => Console.WriteLine($"custom: {e.Message}");

    public void LogMessageEvent(BuildMessageEventArgs e) => Console.WriteLine($"message {e.Importance}: {e.Message}");

    public void LogWarningEvent(BuildWarningEventArgs e) => Console.WriteLine($"{e.File}({e.LineNumber},{e.ColumnNumber}): warning {e.Code}: {e.Message}");

    public void LogErrorEvent(BuildErrorEventArgs e) => Console.WriteLine($"{e.File}({e.LineNumber},{e.ColumnNumber}): error {e.Code}: {e.Message}");
}
