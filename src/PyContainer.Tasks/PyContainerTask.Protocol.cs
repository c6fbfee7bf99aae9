using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.Build.Framework;

namespace PyContainer.Tasks;

/// <summary>
/// The line protocol between the .NET Framework task (a ToolTask) and PyContainer.Cli, compiled into both.
/// Every record is one line of tab-separated fields, each field escaped to printable ASCII, so neither the
/// response file's nor the console's encoding can change a value.
/// Request (response file) and result file: "task NAME", "result PATH", "value NAME TEXT" (string, bool),
/// "list NAME V..." (string[]), "items NAME" then "item NAME SPEC KEY VALUE..." (ITaskItem[]).
/// Log (the CLI's standard output, one line per event): LogPrefix + "message IMPORTANCE TEXT" or
/// "warning|error CODE FILE LINE COLUMN END_LINE END_COLUMN TEXT". Cancellation: CancelRequest on the CLI's
/// standard input.
/// </summary>
internal static class TaskProtocol
{
    public const string Header = "pycontainer-task 1";
    public const string LogPrefix = "pycontainer|";

    /// <summary>The line the ToolTask writes to the CLI's standard input when the build is cancelled.</summary>
    public const string CancelRequest = "cancel";

    private const string MSBuildSpecialCharacters = "%*?@$();'";

    /// <summary>Metadata MSBuild computes, sent with each input item so the CLI's items answer as MSBuild's do.</summary>
    public static readonly string[] WellKnownMetadata =
    [
        "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir", "Identity",
        "DefiningProjectFullPath", "DefiningProjectDirectory", "DefiningProjectName", "DefiningProjectExtension",
    ];

    public static string Line(params string[] fields) => string.Join("\t", fields.Select(Escape));

    public static string[] Fields(string line) => line.Split('\t').Select(Unescape).ToArray();

    /// <summary>Backslash escapes for the separators, and \uXXXX for anything outside printable ASCII.</summary>
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': escaped.Append("\\\\"); break;
                case '\t': escaped.Append("\\t"); break;
                case '\n': escaped.Append("\\n"); break;
                case '\r': escaped.Append("\\r"); break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }

    public static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '\\' || i + 1 == value.Length)
            {
                text.Append(c);
                continue;
            }

            char next = value[++i];
            switch (next)
            {
                case 't': text.Append('\t'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 'u' when i + 4 < value.Length:
                    text.Append((char)Convert.ToInt32(value.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                default: text.Append(next); break;
            }
        }

        return text.ToString();
    }

    /// <summary>MSBuild's escaping (%XX) of its special characters, for item specs and metadata handed to a TaskItem.</summary>
    public static string EscapeForMSBuild(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (MSBuildSpecialCharacters.Contains(c))
            {
                escaped.Append('%').Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>
    /// The public parameters of a task's Interface partial and of PyContainerTask (ProjectFullPath), inputs (no
    /// [Output]) or outputs; MSBuild's own task properties (BuildEngine, ToolTask's) are no part of the protocol.
    /// </summary>
    public static IEnumerable<PropertyInfo> Parameters(Type task, bool outputs) =>
        task.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType == task || p.DeclaringType?.Name == "PyContainerTask")
            .Where(p => p.GetCustomAttributes(typeof(OutputAttribute), inherit: true).Length > 0 == outputs)
            .Where(p => p.GetGetMethod() is not null && p.GetSetMethod(nonPublic: true) is not null);

    /// <summary>The records of the given properties' current values (null strings are left out: the default stays).</summary>
    public static IEnumerable<string> Records(object task, IEnumerable<PropertyInfo> properties, Func<ITaskItem, IEnumerable<KeyValuePair<string, string>>> metadata)
    {
        foreach (PropertyInfo property in properties)
        {
            switch (property.GetValue(task))
            {
                case string text:
                    yield return Line("value", property.Name, text);
                    break;
                case bool flag:
                    yield return Line("value", property.Name, flag ? "true" : "false");
                    break;
                case string[] values:
                    yield return Line(new[] { "list", property.Name }.Concat(values).ToArray());
                    break;
                case ITaskItem[] items:
                    yield return Line("items", property.Name);
                    foreach (ITaskItem item in items)
                    {
                        yield return Line(new[] { "item", property.Name, item.ItemSpec }
                            .Concat(metadata(item).SelectMany(m => new[] { m.Key, m.Value })).ToArray());
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The custom metadata of an item, as MSBuild hands them to a task (unescaped). Read by key: enumerating
    /// MSBuild's own metadata dictionary yields KeyValuePairs, not the DictionaryEntries IDictionary promises.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> CustomMetadata(ITaskItem item)
    {
        IDictionary metadata = item.CloneCustomMetadata();
        return metadata.Keys.Cast<object>()
            .Select(key => new KeyValuePair<string, string>(key.ToString() ?? "", metadata[key] as string ?? ""));
    }

    /// <summary>Sets the task's properties from records; makeItem builds an item from its spec and metadata.</summary>
    public static void Apply(object task, IEnumerable<string> lines, Func<string, IReadOnlyList<KeyValuePair<string, string>>, ITaskItem> makeItem)
    {
        var items = new Dictionary<string, List<ITaskItem>>(StringComparer.Ordinal);
        foreach (string[] fields in lines.Select(Fields))
        {
            switch (fields[0])
            {
                case "value" when fields.Length == 3:
                    PropertyInfo property = Property(task, fields[1]);
                    property.SetValue(task, property.PropertyType == typeof(bool) ? (object)(fields[2] == "true") : fields[2]);
                    break;
                case "list":
                    Property(task, fields[1]).SetValue(task, fields.Skip(2).ToArray());
                    break;
                case "items":
                    items[fields[1]] = [];
                    break;
                case "item" when items.ContainsKey(fields[1]):
                    var metadata = new List<KeyValuePair<string, string>>();
                    for (int i = 3; i + 1 < fields.Length; i += 2)
                    {
                        metadata.Add(new KeyValuePair<string, string>(fields[i], fields[i + 1]));
                    }

                    items[fields[1]].Add(makeItem(fields[2], metadata));
                    break;
            }
        }

        foreach (KeyValuePair<string, List<ITaskItem>> parameter in items)
        {
            Property(task, parameter.Key).SetValue(task, parameter.Value.ToArray());
        }
    }

    private static PropertyInfo Property(object task, string name) =>
        task.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{task.GetType().Name} has no parameter {name}.");
}
