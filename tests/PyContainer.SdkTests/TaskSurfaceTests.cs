using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PyContainer.SdkTests;

/// <summary>
/// The task surface (src/PyContainer.Tasks/*.Interface.cs, the whole protocol of the tasks) against the targets:
/// a setting keeps its MSBuild name from the property or item to the task parameter, the targets pass only what an
/// Interface file declares, and no parameter has a default of its own (the targets' defaults group sets them).
/// </summary>
public sealed partial class TaskSurfaceTests
{
    private static readonly string TargetsFile = Path.Combine(TestProject.RepoRoot, "sdk/PyContainer.Sdk/build/PyContainer.Sdk.targets");

    // public string? PythonVersion { get; set; } = "";   (the initializer, if any, in group "value")
    [GeneratedRegex(@"^\s*public\s+[\w\[\]?]+\s+(?<name>\w+)\s*\{\s*get;\s*(private\s+)?set;\s*\}(\s*=\s*(?<value>[^;]+);)?", RegexOptions.Multiline)]
    private static partial Regex Parameter();

    // An attribute that passes one property or item as it is: $(Name) or @(Name).
    [GeneratedRegex(@"^[$@]\((?<name>[A-Za-z]\w*)\)$")]
    private static partial Regex WholeReference();

    [Fact]
    public void Task_parameters_have_no_default_of_their_own()
    {
        var defaults = InterfaceFiles()
            .SelectMany(file => Parameter().Matches(File.ReadAllText(file))
                .Where(p => p.Groups["value"].Success && p.Groups["value"].Value.Trim() is not ("\"\"" or "[]"))
                .Select(p => $"{Path.GetFileName(file)}: {p.Groups["name"].Value} = {p.Groups["value"].Value.Trim()}"))
            .ToList();

        Assert.True(defaults.Count == 0, "Defaults belong in the targets' PyContainer defaults group: " + string.Join("; ", defaults));
    }

    [Fact]
    public void Each_setting_reaches_its_task_parameter_under_its_MSBuild_name()
    {
        var renamed = new List<string>();
        foreach (XElement call in TaskCalls())
        {
            foreach (XAttribute attribute in call.Attributes())
            {
                if (WholeReference().Match(attribute.Value) is { Success: true } reference
                    && IsPublic(reference.Groups["name"].Value)
                    && reference.Groups["name"].Value != attribute.Name.LocalName)
                {
                    renamed.Add($"{call.Name.LocalName}.{attribute.Name.LocalName}=\"{attribute.Value}\"");
                }
            }

            foreach (XElement output in call.Elements("Output"))
            {
                string parameter = (string)output.Attribute("TaskParameter")!;
                string name = (string?)output.Attribute("PropertyName") ?? (string)output.Attribute("ItemName")!;
                // An output may say it is the setting resolved: ResolvedContainerRepository gives ContainerRepository.
                if (IsPublic(name) && parameter != name && parameter != "Resolved" + name)
                {
                    renamed.Add($"{call.Name.LocalName} output {parameter} -> {name}");
                }
            }
        }

        Assert.True(renamed.Count == 0, "Settings renamed on their way to a task: " + string.Join("; ", renamed));
    }

    [Fact]
    public void The_targets_pass_only_parameters_an_Interface_file_declares()
    {
        var declared = InterfaceFiles().ToDictionary(
            file => Path.GetFileName(file).Replace(".Interface.cs", "", StringComparison.Ordinal),
            file => Parameter().Matches(File.ReadAllText(file)).Select(p => p.Groups["name"].Value).Append("ProjectFullPath").ToHashSet(StringComparer.Ordinal));
        var calls = TaskCalls().ToList();

        Assert.NotEmpty(calls);
        Assert.All(calls, call =>
        {
            Assert.True(declared.TryGetValue(call.Name.LocalName, out HashSet<string>? parameters), $"No {call.Name.LocalName}.Interface.cs");
            Assert.All(call.Attributes().Select(a => a.Name.LocalName).Where(n => n != "Condition"), n => Assert.Contains(n, parameters!));
            Assert.All(call.Elements("Output").Select(o => (string)o.Attribute("TaskParameter")!), n => Assert.Contains(n, parameters!));
        });
    }

    private static IEnumerable<string> InterfaceFiles() =>
        Directory.GetFiles(Path.Combine(TestProject.RepoRoot, "src/PyContainer.Tasks"), "*.Interface.cs").Order(StringComparer.Ordinal);

    /// <summary>Every call of a PyContainer task in the targets.</summary>
    private static IEnumerable<XElement> TaskCalls()
    {
        XElement project = XDocument.Load(TargetsFile).Root!;
        var tasks = project.Elements("UsingTask").Select(u => ((string)u.Attribute("TaskName")!).Split('.')[^1]).ToHashSet(StringComparer.Ordinal);
        return project.Descendants().Where(e => tasks.Contains(e.Name.LocalName));
    }

    /// <summary>A name of ours: not private (`_`), not MSBuild's own.</summary>
    private static bool IsPublic(string name) =>
        !name.StartsWith('_') && !name.StartsWith("MSBuild", StringComparison.Ordinal) && name != "FileWrites";
}
